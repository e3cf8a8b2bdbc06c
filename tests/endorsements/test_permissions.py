"""From outside: every role against the endorser's pages. An endorser sees only their country's
submitted applications, only their letters of endorsement, and nothing of reviews; nobody else
opens the pages; an endorser reaches the admin only when also staff."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from applications.services.drafting import application_start
from endorsements.enums import EndorsementState
from endorsements.models import NationalEndorsement
from tests.applications.conftest import person
from tests.applications.test_permissions import application_urls
from tests.endorsements.conftest import endorser, submit
from tests.factories import (
    AssignmentFactory,
    InstitutionFactory,
    NetworkFactory,
    UserFactory,
    staff_with_mfa,
    submitted_review,
)

pytestmark = pytest.mark.django_db


def staff(email, **fields):
    return staff_with_mfa(UserFactory(email=email, is_staff=True, **fields))


@pytest.fixture
def submitted(draft, applicant, django_capture_on_commit_callbacks):
    return submit(draft, applicant, django_capture_on_commit_callbacks)


def endorser_urls(application):
    return [
        reverse("endorsements:list"),
        reverse("endorsements:detail", args=[application.public_id]),
    ]


def role_users(application):
    """Everyone who is not a national endorser of the application's country."""
    observer = person("observer@ec.example.eu")
    observer.groups.add(Group.objects.get(name=roles.EC_OBSERVERS))
    other_coordinator = staff("coord@other.example")
    NetworkFactory().coordinators.add(other_coordinator)
    own_coordinator = staff("coord@own.example")
    application.call.network.coordinators.add(own_coordinator)
    assignment = AssignmentFactory(application=application)
    return {
        "applicant": application.created_by,
        "reviewer": assignment.reviewer.user,
        "coordinator of another network": other_coordinator,
        "coordinator of the network": own_coordinator,
        "observer": observer,
        "plain user": person("someone@example.org"),
        "inactive endorser": endorser("former@ministero.example", active=False).user,
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_no_one_but_an_endorser_opens_the_endorsers_pages(client, submitted, method):
    for role, user in role_users(submitted).items():
        client.force_login(user)
        for url in endorser_urls(submitted):
            response = getattr(client, method)(url, {"decision": "decline", "reason": "x"})
            assert response.status_code in (403, 404), (role, method, url)
    assert NationalEndorsement.objects.get(application=submitted).state == (
        EndorsementState.LETTER_UPLOADED
    )


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_visitor_is_sent_to_sign_in(client, submitted, method):
    for url in endorser_urls(submitted):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_an_endorser_sees_only_their_countrys_submitted_applications(
    client, submitted, call, applicant, italian_endorser, django_capture_on_commit_callbacks
):
    french = InstitutionFactory(name="Hôpital de Lyon", country="FR")
    french_applicant = person("jean@lyon.example", french)
    french_application = submit(
        application_start(
            call=call, institution=french, user=french_applicant, tier_requested="full_member"
        ),
        french_applicant,
        django_capture_on_commit_callbacks,
    )
    milan = InstitutionFactory(name="Istituto di Milano", country="IT")
    milan_user = person("m@milano.example", milan)
    milan_draft = application_start(
        call=call, institution=milan, user=milan_user, tier_requested="full_member"
    )
    client.force_login(italian_endorser.user)
    page = client.get(reverse("endorsements:list")).content.decode()
    assert "Ospedale di Torino" in page
    assert "Hôpital de Lyon" not in page
    assert "Istituto di Milano" not in page  # a draft is not the country's business yet
    for application in (french_application, milan_draft):
        url = reverse("endorsements:detail", args=[application.public_id])
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "decline", "reason": "x"}).status_code == 404
    assert client.get(reverse("endorsements:detail", args=[submitted.public_id])).status_code == 200


def test_an_endorser_downloads_the_letter_and_no_other_document(
    client, submitted, italian_endorser
):
    client.force_login(italian_endorser.user)
    for document in submitted.documents.all():
        response = client.get(document.get_absolute_url())
        expected = 200 if document.purpose == "endorsement" else 404
        assert response.status_code == expected, document.purpose
    french = endorser("sante@ministere.example", country="FR")
    client.force_login(french.user)
    for document in submitted.documents.all():
        assert client.get(document.get_absolute_url()).status_code == 404


def test_an_endorser_sees_nothing_of_reviews(client, submitted, italian_endorser):
    assignment = AssignmentFactory(application=submitted)
    submitted_review(assignment, {}, comments="A SECRET REVIEW COMMENT")
    client.force_login(italian_endorser.user)
    for url in [
        reverse("endorsements:list"),
        reverse("endorsements:detail", args=[submitted.public_id]),
    ]:
        page = client.get(url).content.decode()
        assert "A SECRET REVIEW COMMENT" not in page
        assert "score" not in page.lower()
    assert client.get(assignment.get_absolute_url()).status_code == 404
    assert "Ospedale" not in client.get(reverse("reviews:assignments")).content.decode()


def test_an_endorser_reaches_the_admin_only_when_staff(client, italian_endorser):
    client.force_login(italian_endorser.user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert client.get(reverse("admin:endorsements_nationalendorser_changelist")).status_code == 302


def test_only_administrators_manage_endorsers_in_the_admin(client, italian_endorser):
    coordinator = staff("coord@own.example")
    coordinator.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    client.force_login(coordinator)
    url = reverse("admin:endorsements_nationalendorser_changelist")
    assert client.get(url).status_code == 403
    administrator = staff("admin@example.org", is_superuser=True)
    client.force_login(administrator)
    page = client.get(url)
    assert page.status_code == 200
    assert "Ministero della Salute" in page.content.decode()


def test_an_endorser_opens_none_of_the_applicants_pages(client, submitted, italian_endorser):
    client.force_login(italian_endorser.user)
    letters = {d.get_absolute_url() for d in submitted.documents.filter(purpose="endorsement")}
    for url in application_urls(submitted):
        if url in letters:
            continue
        assert client.get(url).status_code == 404, url
