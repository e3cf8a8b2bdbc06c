"""The navigation learns every role of the signed-in person in one query, and shows each role's
links to those who have it and to no one else."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from accounts.person_roles import person_roles
from endorsements.models import NationalEndorser
from tests.factories import NetworkFactory, ReviewerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

LINKS = {
    "national_endorser": "My endorsements",
    "reviewer": "My reviews",
    "decision_board": "Decision board",
}


def _with_every_role():
    user = UserFactory()
    NationalEndorser.objects.create(user=user, country="IT", authority="Ministero della Salute")
    ReviewerProfileFactory(user=user)
    user.groups.add(Group.objects.get(name=roles.DECISION_BOARD))
    NetworkFactory().coordinators.add(user)
    return user


def test_every_role_is_learnt_in_one_query(django_assert_num_queries):
    user = _with_every_role()
    with django_assert_num_queries(1):
        found = person_roles(user)
        person_roles(user)  # remembered for the rest of the request
    assert found == {
        "ec_observer": False,
        "network_coordinator": True,
        "national_endorser": True,
        "decision_board": True,
        "reviewer": True,
    }


def test_a_visitor_and_an_inactive_account_have_no_role(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    user = _with_every_role()
    user.is_active = False
    with django_assert_num_queries(0):
        assert not any(person_roles(AnonymousUser()).values())
        assert not any(person_roles(user).values())


def test_an_inactive_endorser_is_no_endorser():
    user = UserFactory()
    NationalEndorser.objects.create(user=user, country="IT", authority="Ministero", active=False)
    assert person_roles(user)["national_endorser"] is False


def test_the_navigation_costs_the_same_with_every_role_as_with_none(client, count_queries):
    url = reverse("accounts:institutions")
    client.force_login(UserFactory())
    client.get(url)
    none, response = count_queries(lambda: client.get(url))
    page = response.content.decode()
    assert response.status_code == 200
    assert not any(link in page for link in LINKS.values())

    client.force_login(_with_every_role())
    client.get(url)
    every, response = count_queries(lambda: client.get(url))
    page = response.content.decode()
    assert response.status_code == 200
    assert all(link in page for link in LINKS.values())
    assert every == none


def test_an_administrator_outside_the_board_gets_no_board_link(client):
    """The board's pages refuse whoever is not on the board, administrators included."""
    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("accounts:institutions")).content.decode()
    assert "Decision board" not in page
    assert client.get(reverse("board:calls")).status_code == 403


def test_the_second_factor_and_the_roles_are_learnt_in_the_same_query(
    django_assert_num_queries, settings
):
    from accounts.second_factor import second_factor_state

    settings.MFA_REQUIRED_ROLES = ["coordinator", "reviewer"]
    user = _with_every_role()
    with django_assert_num_queries(1):
        has_factor, held = second_factor_state(user)
        found = person_roles(user)
    assert has_factor is False
    assert held == ["coordinator", "reviewer"]
    assert found["reviewer"] is True and found["ec_observer"] is False
