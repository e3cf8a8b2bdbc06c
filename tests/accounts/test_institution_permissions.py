"""Each role against each institution URL: people outside an institution learn nothing of it."""

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from accounts.enums import InstitutionRole
from accounts.models import Affiliation, Invitation, JoinRequest
from instants.formatting import instant_text
from tests.accounts.people import person
from tests.factories import (
    AffiliationFactory,
    InstitutionFactory,
    InvitationFactory,
    JoinRequestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_institution():
    """Institution B, with a representative and a request waiting for a decision."""
    institution = InstitutionFactory(name="Institution B")
    AffiliationFactory(institution=institution, role=InstitutionRole.REPRESENTATIVE)
    JoinRequestFactory(institution=institution)
    return institution


@pytest.fixture
def representative_of_a():
    institution = InstitutionFactory(name="Institution A")
    return AffiliationFactory(institution=institution, role=InstitutionRole.REPRESENTATIVE).user


def requests_on(institution):
    """Every request that reads or changes one institution's page or people."""
    join_request = JoinRequest.objects.get(institution=institution)
    return [
        ("get", reverse("accounts:institution", args=[institution.pk]), {}),
        (
            "post",
            reverse("accounts:invitation_send", args=[institution.pk]),
            {"email": "intruder@example.org", "role": "representative"},
        ),
        (
            "post",
            reverse("accounts:join_request_decide", args=[institution.pk, join_request.pk]),
            {"decision": "approve", "role": "representative"},
        ),
    ]


def test_institution_urls_are_not_found_for_people_of_another_institution(
    client, representative_of_a, other_institution
):
    client.force_login(representative_of_a)
    for method, url, data in requests_on(other_institution):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, url
    assert not Invitation.objects.exists()
    assert JoinRequest.objects.get().decided_at is None


def test_institution_urls_are_not_found_for_people_of_no_institution(client, other_institution):
    client.force_login(UserFactory())
    for method, url, data in requests_on(other_institution):
        assert getattr(client, method)(url, data).status_code == 404, url


def test_institution_urls_send_anonymous_visitors_to_sign_in(client, other_institution):
    for method, url, data in requests_on(other_institution):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url
    assert not Invitation.objects.exists()


def test_institution_urls_of_an_unknown_institution_are_not_found(client, representative_of_a):
    client.force_login(representative_of_a)
    assert client.get(reverse("accounts:institution", args=[999999])).status_code == 404
    assert (
        client.post(
            reverse("accounts:invitation_send", args=[999999]),
            {"email": "a@example.org", "role": "contributor"},
        ).status_code
        == 404
    )


def test_join_request_decide_is_not_found_under_another_institutions_address(
    client, representative_of_a, other_institution
):
    """A representative of A cannot decide B's request by putting A's id in the address."""
    institution_a = representative_of_a.affiliations.get().institution
    join_request = JoinRequest.objects.get(institution=other_institution)
    client.force_login(representative_of_a)

    response = client.post(
        reverse("accounts:join_request_decide", args=[institution_a.pk, join_request.pk]),
        {"decision": "approve", "role": "representative"},
    )

    assert response.status_code == 404
    join_request.refresh_from_db()
    assert join_request.decided_at is None


@pytest.mark.parametrize("role", [InstitutionRole.REPRESENTATIVE, InstitutionRole.DEPUTY])
def test_managers_see_the_invite_form_and_waiting_requests(client, role):
    institution = InstitutionFactory()
    manager = AffiliationFactory(institution=institution, role=role).user
    JoinRequestFactory(institution=institution, user=UserFactory(email="asker@example.org"))
    client.force_login(manager)

    page = client.get(reverse("accounts:institution", args=[institution.pk])).content.decode()

    assert "Invite a colleague" in page
    assert "asker@example.org" in page
    assert "Approve in this role" in page


def test_invitation_with_an_unknown_token_is_not_found(client):
    client.force_login(UserFactory())
    url = reverse("accounts:invitation", kwargs={"token": "6f1c1c54-0c67-4a43-9b63-2f0e3f3d4c11"})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_invitation_shows_a_signed_out_invitee_what_it_is_and_ways_back_to_it(client):
    # Issue 11: a signed-out invitee used to be sent to sign in knowing nothing of it.
    invitation = InvitationFactory(
        institution=InstitutionFactory(name="Hôpital Saint-Louis"),
        invited_by=UserFactory(name="Claire Martin"),
        role="deputy",
    )
    url = reverse("accounts:invitation", kwargs={"token": invitation.token})

    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Hôpital Saint-Louis" in page
    assert "Claire Martin invites you" in page
    assert "Deputy" in page
    assert instant_text(invitation.expires_at) in page
    back = urlencode({"next": url})
    assert f'href="{reverse("account_login")}?{back}"' in page
    assert f'href="{reverse("account_signup")}?{back}"' in page
    assert "Accept the invitation" not in page


def test_invitation_accepted_only_once_signed_in_and_sign_in_comes_back_to_it(client):
    invitation = InvitationFactory(email="invitee@example.org")
    url = reverse("accounts:invitation", kwargs={"token": invitation.token})

    refused = client.post(url)
    assert refused.status_code == 302
    assert refused.url.startswith(reverse("account_login"))
    assert not Affiliation.objects.filter(institution=invitation.institution).exists()

    invitee = person("invitee@example.org")
    signed_in = client.post(
        f"{reverse('account_login')}?{urlencode({'next': url})}",
        {"login": invitee.email, "password": "a-long-test-password"},
    )
    assert signed_in.status_code == 302
    assert signed_in.url == url


def test_invitation_with_an_unknown_token_is_not_found_signed_out_too(client):
    url = reverse("accounts:invitation", kwargs={"token": "6f1c1c54-0c67-4a43-9b63-2f0e3f3d4c11"})
    assert client.get(url).status_code == 404


def test_my_institutions_and_create_send_anonymous_visitors_to_sign_in(client):
    for url in (reverse("accounts:institutions"), reverse("accounts:institution_create")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_post_only_urls_refuse_other_methods(client):
    institution = InstitutionFactory()
    AffiliationFactory(institution=institution, role=InstitutionRole.REPRESENTATIVE)
    join_request = JoinRequestFactory(institution=institution)
    client.force_login(institution.affiliations.get().user)

    invite = client.get(reverse("accounts:invitation_send", args=[institution.pk]))
    decide = client.get(
        reverse("accounts:join_request_decide", args=[institution.pk, join_request.pk])
    )

    assert invite.status_code == 405
    assert decide.status_code == 405
