"""The applicant sees a decision only once its letter is released, and may then ask for a
review of it within the call's period."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from applications.enums import ApplicationStatus
from audit.models import AuditEntry
from decisions.models import Letter, RedressRequest
from tests.decisions.conftest import decide, letter_of, release_action

pytestmark = pytest.mark.django_db

REASON = "Fewer than 100 patients a year."


@pytest.fixture
def rejected(submitted, coordinator):
    decide(submitted, coordinator, ApplicationStatus.REJECTED, REASON)
    return submitted


@pytest.fixture
def released(rejected, coordinator_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        release_action(coordinator_client, [letter_of(rejected)])
    mail.outbox.clear()
    return rejected


def test_before_release_the_applicant_sees_no_decision(client, rejected, applicant):
    client.force_login(applicant)
    for url in [rejected.get_absolute_url(), reverse("applications:mine")]:
        page = client.get(url).content.decode()
        assert "Rejected" not in page
        assert REASON not in page
        assert "Eligible" in page  # where it stood before the withheld decision
    assert (
        "Withdraw the application" not in client.get(rejected.get_absolute_url()).content.decode()
    )


def test_after_release_the_applicant_sees_the_decision_and_the_letter(client, released, applicant):
    client.force_login(applicant)
    page = client.get(released.get_absolute_url()).content.decode()
    assert "Decision: Rejected" in page
    assert REASON in page
    assert letter_of(released).subject in page
    assert reverse("decisions:redress", args=[released.public_id]) in page
    assert f"({released.call.time_zone})" in page
    assert REASON in client.get(reverse("applications:mine")).content.decode()


def test_within_the_period_the_applicant_asks_for_a_review_and_the_coordinators_are_told(
    client, released, applicant, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    url = reverse("decisions:redress", args=[released.public_id])
    form = client.get(url)
    assert form.status_code == 200
    assert f"({released.call.time_zone})" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reasons": "Our 2025 figures were left out."})
    assert response.status_code == 302
    redress = RedressRequest.objects.get()
    assert redress.reasons == "Our 2025 figures were left out."
    assert redress.requested_by == applicant and redress.letter == letter_of(released)
    assert AuditEntry.objects.filter(action="redress.requested", application=released).exists()
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    assert "asked for a review" in client.get(released.get_absolute_url()).content.decode()

    # Sent twice (a double click, or the back button): harmless.
    again = client.post(url, {"reasons": "Our 2025 figures were left out."}, follow=True)
    assert "already been asked for" in again.content.decode()
    assert RedressRequest.objects.count() == 1


def test_reasons_are_required_and_what_was_typed_is_kept(client, released, applicant):
    client.force_login(applicant)
    url = reverse("decisions:redress", args=[released.public_id])
    empty = client.post(url, {"reasons": "   "})
    assert empty.status_code == 400
    assert "This field is required" in empty.content.decode()
    too_long = "x" * 10001
    long_response = client.post(url, {"reasons": too_long})
    assert long_response.status_code == 400
    assert too_long in long_response.content.decode()
    assert not RedressRequest.objects.exists()


def test_past_the_period_the_request_is_refused_clearly(client, released, applicant):
    Letter.objects.filter(application=released).update(
        released_at=datetime.datetime(2020, 1, 1, 12, tzinfo=datetime.UTC)
    )
    client.force_login(applicant)
    url = reverse("decisions:redress", args=[released.public_id])
    for response in [client.get(url), client.post(url, {"reasons": "Too late?"})]:
        assert response.status_code == 403
        page = response.content.decode()
        assert "The period to ask for a review of this decision ended on 31 January 2020" in page
        assert f"({released.call.time_zone})" in page
    assert not RedressRequest.objects.exists()
    assert "ended on" in client.get(released.get_absolute_url()).content.decode()


def test_no_review_can_be_asked_for_before_the_letter_is_released(client, rejected, applicant):
    client.force_login(applicant)
    url = reverse("decisions:redress", args=[rejected.public_id])
    response = client.post(url, {"reasons": "Please."})
    assert response.status_code == 403
    assert "no decision on this application that you can ask" in response.content.decode()
    assert "Rejected" not in response.content.decode()
    assert not RedressRequest.objects.exists()


def test_no_review_can_be_asked_for_of_an_acceptance(
    client,
    submitted,
    applicant,
    coordinator,
    coordinator_client,
    django_capture_on_commit_callbacks,
):
    decide(submitted, coordinator, ApplicationStatus.ACCEPTED, "Yes.")
    with django_capture_on_commit_callbacks(execute=True):
        release_action(coordinator_client, [letter_of(submitted)])
    client.force_login(applicant)
    url = reverse("decisions:redress", args=[submitted.public_id])
    assert url not in client.get(submitted.get_absolute_url()).content.decode()
    assert client.post(url, {"reasons": "Please."}).status_code == 403
    assert not RedressRequest.objects.exists()


def redress_of(released, applicant):
    from decisions.services.redress import redress_request_submit

    return redress_request_submit(
        application=released, user=applicant, reasons="Our 2025 figures were left out."
    )


def test_the_coordinator_upholds_the_decision(
    released, applicant, coordinator_client, django_capture_on_commit_callbacks
):
    redress = redress_of(released, applicant)
    url = reverse("admin:decisions_redressrequest_change", args=[redress.pk])
    missing = coordinator_client.post(url, {"outcome": "upheld", "outcome_reason": ""})
    assert missing.status_code == 200
    assert "This field is required" in missing.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url, {"outcome": "upheld", "outcome_reason": "Figures checked."})
    redress.refresh_from_db()
    assert redress.outcome == "upheld" and redress.decided_at
    released.refresh_from_db()
    assert released.status == ApplicationStatus.REJECTED
    entry = AuditEntry.objects.get(action="redress.decided")
    assert entry.reason == "Figures checked." and entry.data["outcome"] == "upheld"
    assert [message.to for message in mail.outbox] == [[applicant.email]]
    assert "Figures checked." in mail.outbox[0].body


def test_a_revised_decision_returns_the_application_to_review_to_be_decided_again(
    client, released, applicant, coordinator, coordinator_client
):
    redress = redress_of(released, applicant)
    url = reverse("admin:decisions_redressrequest_change", args=[redress.pk])
    coordinator_client.post(url, {"outcome": "revised", "outcome_reason": "Figures missed."})
    released.refresh_from_db()
    assert released.status == ApplicationStatus.IN_REVIEW
    decide(released, coordinator, ApplicationStatus.ACCEPTED, "Accepted on review.")
    assert letter_of(released).outcome == ApplicationStatus.ACCEPTED
    assert letter_of(released).is_draft
    # The new decision waits for its letter, like the first.
    client.force_login(applicant)
    page = client.get(released.get_absolute_url()).content.decode()
    assert "Accepted on review." not in page
    assert "In review" in page
