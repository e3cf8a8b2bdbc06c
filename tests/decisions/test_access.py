"""Who reaches what: each role against each new page, and coordinators kept to their networks."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from decisions.enums import LetterStatus
from decisions.models import Letter, RedressRequest
from reviews.models import ReviewerProfile
from tests.decisions.conftest import decided_letter, person, release_action
from tests.factories import InstitutionFactory, UserFactory, staff_with_mfa

pytestmark = pytest.mark.django_db


def released(letter):
    Letter.objects.filter(pk=letter.pk).update(
        status=LetterStatus.SENT, released_at=timezone.now(), sent_at=timezone.now()
    )
    letter.refresh_from_db()
    return letter


@pytest.fixture
def world(call, other_network_letter):
    """A released letter with a redress request in the coordinator's network, and the same in
    another network."""
    mine = released(decided_letter(call, "Home Hospital"))
    theirs = released(other_network_letter)
    for letter in (mine, theirs):
        RedressRequest.objects.create(
            application=letter.application,
            letter=letter,
            reasons=f"Reasons of {letter.application.institution}",
            requested_by=letter.application.representative,
            requested_at=timezone.now(),
        )
    return {"mine": mine, "theirs": theirs}


def reviewer():
    user = UserFactory(email="reviewer@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.REVIEWERS))
    ReviewerProfile.objects.create(user=user, country="FR")
    return staff_with_mfa(user)


def admin_urls(letter):
    return [
        reverse("admin:decisions_letter_changelist"),
        reverse("admin:decisions_letter_change", args=[letter.pk]),
        reverse("admin:decisions_redressrequest_changelist"),
        reverse("admin:decisions_redressrequest_change", args=[letter.redress_request.pk]),
        reverse("admin:decisions_lettertemplate_changelist"),
    ]


def test_the_redress_page_opens_only_to_people_of_the_institution(client, world, coordinator):
    application = world["mine"].application
    url = reverse("decisions:redress", args=[application.public_id])
    # A request already exists: the applicant is taken back to the application.
    expected = {
        None: 302,  # to the login page
        person("someone@other.example", InstitutionFactory()): 404,
        reviewer(): 404,
        coordinator: 404,
        application.representative: 302,
    }
    for user, status in expected.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if user is None:
            assert "/accounts/login/" in response["Location"]
        elif status == 302:
            assert response["Location"] == application.get_absolute_url()


def test_the_admin_pages_are_closed_to_anonymous_people_applicants_and_reviewers(client, world):
    urls = admin_urls(world["mine"])
    for user in [None, world["mine"].application.representative]:
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and "login" in response["Location"], url
    client.force_login(reviewer())
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_a_coordinator_sees_their_networks_letters_and_requests_and_nothing_of_another(
    coordinator_client, world
):
    for url in admin_urls(world["mine"]):
        page = coordinator_client.get(url)
        assert page.status_code == 200, url
        assert "Elsewhere Hospital" not in page.content.decode(), url
    changelists = [
        reverse("admin:decisions_letter_changelist"),
        reverse("admin:decisions_redressrequest_changelist"),
    ]
    for url in changelists:
        assert "Home Hospital" in coordinator_client.get(url).content.decode()
        searched = coordinator_client.get(url, {"q": "Elsewhere"})
        assert "Elsewhere Hospital" not in searched.content.decode()
    theirs = world["theirs"]
    for url in [
        reverse("admin:decisions_letter_change", args=[theirs.pk]),
        reverse("admin:decisions_redressrequest_change", args=[theirs.redress_request.pk]),
    ]:
        response = coordinator_client.get(url)
        assert response.status_code == 302, url  # "does not exist", like any unknown id
        assert response["Location"] == reverse("admin:index")


def test_a_coordinator_cannot_release_or_decide_another_networks_letter_by_a_forged_id(
    coordinator_client, other_network_letter, world, django_capture_on_commit_callbacks
):
    draft = decided_letter(other_network_letter.application.call, "Forged Hospital")
    with django_capture_on_commit_callbacks(execute=True):
        release_action(coordinator_client, [draft])
    draft.refresh_from_db()
    assert draft.status == LetterStatus.DRAFT
    assert mail.outbox == []
    redress = world["theirs"].redress_request
    url = reverse("admin:decisions_redressrequest_change", args=[redress.pk])
    coordinator_client.post(url, {"outcome": "revised", "outcome_reason": "Forged."})
    redress.refresh_from_db()
    assert redress.is_pending
