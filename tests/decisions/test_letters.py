"""Decision letters: drafted on decision, edited, released in bulk, sent once by Celery."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from applications.enums import ApplicationStatus
from audit.models import AuditEntry
from decisions.enums import LetterStatus
from decisions.models import Letter, LetterTemplate
from notifications.catalogue import NotificationKind
from notifications.services import notification_queue
from outbox.enums import OutboxStatus
from outbox.models import OutboxItem
from outbox.relay import outbox_sweep
from tests.decisions.conftest import FailingOnceBackend, decide, letter_of, release_action

pytestmark = pytest.mark.django_db


def test_deciding_drafts_a_letter_in_the_outbox_and_sends_nothing(
    submitted, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(submitted, coordinator, ApplicationStatus.ACCEPTED)
    letter = letter_of(submitted)
    assert letter.status == LetterStatus.DRAFT
    assert letter.outcome == ApplicationStatus.ACCEPTED
    assert "Ospedale di Torino" in letter.body
    assert letter.sent_at is None and letter.released_at is None
    assert mail.outbox == []


def test_release_asks_for_confirmation_listing_the_letters(
    submitted, coordinator, coordinator_client
):
    decide(submitted, coordinator, ApplicationStatus.REJECTED, "Too few patients a year.")
    page = release_action(coordinator_client, [letter_of(submitted)], confirm=False)
    assert "Release the decision letters" in page.content.decode()
    assert "Ospedale di Torino" in page.content.decode()
    assert letter_of(submitted).status == LetterStatus.DRAFT
    assert mail.outbox == []


def test_releasing_sends_the_letter_exactly_once_to_the_people_of_the_institution(
    submitted, coordinator, coordinator_client, applicant, django_capture_on_commit_callbacks
):
    decide(submitted, coordinator, ApplicationStatus.ACCEPTED)
    letter = letter_of(submitted)
    with django_capture_on_commit_callbacks(execute=True):
        page = release_action(coordinator_client, [letter])
    assert "1 letter released" in page.content.decode()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    assert letter.released_by == coordinator and letter.sent_at and letter.attempts == 1
    assert letter.recipients == [applicant.email]
    assert [message.to for message in mail.outbox] == [[applicant.email]]
    assert mail.outbox[0].subject == letter.subject
    assert "has been accepted" in mail.outbox[0].body

    # Asking for the same email again, a sweep, and a second release send nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        notification_queue(kind=NotificationKind.DECISION_LETTER, object_id=letter.pk)
    outbox_sweep()
    with django_capture_on_commit_callbacks(execute=True):
        again = release_action(coordinator_client, [letter])
    assert "Only a letter in draft can be released" in again.content.decode()
    assert len(mail.outbox) == 1
    actions = list(
        AuditEntry.objects.filter(action__startswith="letter.")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == ["letter.released", "letter.sent"]


def test_a_failing_mail_server_is_retried_and_the_attempts_recorded(
    settings,
    submitted,
    coordinator,
    coordinator_client,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "tests.decisions.conftest.FailingOnceBackend"
    settings.OUTBOX_BACKOFF_BASE = 0  # the retry is due at once, for the sweep below
    FailingOnceBackend.failures_left = 1
    decide(submitted, coordinator, ApplicationStatus.REJECTED, "Too few patients a year.")
    letter = letter_of(submitted)
    with django_capture_on_commit_callbacks(execute=True):
        release_action(coordinator_client, [letter])
    letter.refresh_from_db()
    assert letter.status == LetterStatus.RELEASED
    assert "Connection unexpectedly closed" in letter.last_error
    assert mail.outbox == []

    outbox_sweep()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    assert letter.attempts == 2
    assert letter.last_error == ""
    assert len(mail.outbox) == 1


def test_a_letter_that_cannot_be_sent_is_marked_failed_and_can_be_sent_again(
    settings,
    submitted,
    coordinator,
    coordinator_client,
    applicant,
    django_capture_on_commit_callbacks,
):
    settings.EMAIL_BACKEND = "tests.decisions.conftest.AlwaysFailingBackend"
    settings.OUTBOX_RETRY_FOR = 0  # given up after the first failure
    decide(submitted, coordinator, ApplicationStatus.REJECTED, "Too few patients a year.")
    letter = letter_of(submitted)
    with django_capture_on_commit_callbacks(execute=True):
        release_action(coordinator_client, [letter])
    letter.refresh_from_db()
    assert letter.status == LetterStatus.FAILED
    assert "Service not available" in letter.last_error
    assert mail.outbox == []
    assert (
        OutboxItem.objects.get(key__startswith="email:decision_letter:").status
        == OutboxStatus.FAILED
    )
    # The applicant sees the decision all the same: it was released.
    assert letter.released_at is not None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.OUTBOX_RETRY_FOR = 3600
    with django_capture_on_commit_callbacks(execute=True):
        page = coordinator_client.post(
            reverse("admin:decisions_letter_changelist"),
            {"action": "send_again", "_selected_action": [letter.pk]},
            follow=True,
        )
    assert "1 letter is being sent again." in page.content.decode()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    assert [message.to for message in mail.outbox] == [[applicant.email]]
    actions = list(
        AuditEntry.objects.filter(action__startswith="letter.")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == ["letter.released", "letter.failed", "letter.released", "letter.sent"]


def test_a_coordinator_edits_a_draft_and_the_edit_is_what_is_sent(
    submitted, coordinator, coordinator_client, django_capture_on_commit_callbacks
):
    decide(submitted, coordinator, ApplicationStatus.REJECTED, "Too few patients a year.")
    letter = letter_of(submitted)
    url = reverse("admin:decisions_letter_change", args=[letter.pk])
    page = coordinator_client.get(url)
    assert "As the applicant will read it" in page.content.decode()
    # The body in paragraphs, as the email reads: no tag shown as text.
    assert "&lt;p&gt;" not in page.content.decode()
    # The redress period is previewed in the call's time zone, as if released now.
    assert f"({submitted.call.time_zone})" in page.content.decode()
    coordinator_client.post(
        url, {"subject": "About your application", "body": "Dear Anna,\n\nNot this time."}
    )
    with django_capture_on_commit_callbacks(execute=True):
        release_action(coordinator_client, [letter])
    assert mail.outbox[0].subject == "About your application"
    assert mail.outbox[0].body.startswith("Dear Anna,\n\nNot this time.")
    # Once released, the letter is a record: it cannot be changed any more.
    refused = coordinator_client.post(url, {"subject": "Changed", "body": "Changed"})
    assert refused.status_code == 403
    letter.refresh_from_db()
    assert letter.subject == "About your application"


def test_a_later_decision_supersedes_the_unreleased_letter(
    in_review, coordinator, coordinator_client, django_capture_on_commit_callbacks
):
    decide(in_review, coordinator, ApplicationStatus.WAITLISTED, "No place yet.")
    waitlisted = letter_of(in_review)
    decide(in_review, coordinator, ApplicationStatus.ACCEPTED, "A place came free.")
    waitlisted.refresh_from_db()
    assert waitlisted.status == LetterStatus.SUPERSEDED
    with django_capture_on_commit_callbacks(execute=True):
        release_action(coordinator_client, [waitlisted])
    assert mail.outbox == []


def test_the_letter_fills_in_the_placeholders_and_the_redress_period_on_release(
    in_review, coordinator, coordinator_client, django_capture_on_commit_callbacks
):
    call = in_review.call
    call.redress_days = 14
    call.time_zone = "Europe/Lisbon"
    call.save()
    LetterTemplate.objects.create(
        outcome=ApplicationStatus.WAITLISTED,
        network=call.network,
        subject="{network}: {decision} for {institution}",
        body="To {representative} of {institution}, {call}, tier {tier}: {reason} "
        "Ask until {redress_until} at {portal_url}. {{braces}}",
    )
    decide(in_review, coordinator, ApplicationStatus.WAITLISTED, "No place yet.")
    letter = letter_of(in_review)
    assert letter.subject == f"{call.network.name}: Waitlisted for Ospedale di Torino"
    assert letter.body.startswith(
        "To Anna of Ospedale di Torino, Palliative care call, tier Full member: No place yet. "
        "Ask until {redress_until} at http"
    )
    assert f"{in_review.get_absolute_url()}. {{braces}}" in letter.body
    with django_capture_on_commit_callbacks(execute=True):
        release_action(coordinator_client, [letter])
    letter.refresh_from_db()
    assert "{redress_until}" not in letter.body
    assert "(Europe/Lisbon)" in letter.body
    until = (letter.released_at + datetime.timedelta(days=14)).astimezone(ZoneInfo("Europe/Lisbon"))
    assert f"{until.day} {until:%B %Y, %H:%M}" in letter.body


def test_the_call_overrides_the_network_which_overrides_the_default(submitted, coordinator):
    call = submitted.call
    LetterTemplate.objects.create(
        outcome="rejected", network=call.network, subject="Network letter", body="Network."
    )
    LetterTemplate.objects.create(
        outcome="rejected", network=call.network, call=call, subject="Call letter", body="Call."
    )
    LetterTemplate.objects.create(outcome="accepted", network=call.network, subject="N", body="N")
    decide(submitted, coordinator, ApplicationStatus.REJECTED, "No.")
    assert letter_of(submitted).subject == "Call letter"
    assert Letter.objects.count() == 1


def test_a_network_without_its_own_letter_uses_the_default(submitted, coordinator):
    decide(submitted, coordinator, ApplicationStatus.REJECTED, "No.")
    default = LetterTemplate.objects.get(outcome="rejected", network=None)
    assert letter_of(submitted).template == default
    assert letter_of(submitted).subject == default.subject.replace(
        "{network}", submitted.call.network.name
    )
