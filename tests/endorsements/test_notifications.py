"""Endorsers are told of each new application from their country, once, and reminded once
before endorsement closes while it still awaits them."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from endorsements.enums import EndorserDecision
from endorsements.services.endorsing import endorsement_decide
from endorsements.tasks import endorsement_reminders_task
from notifications.catalogue import NotificationKind
from outbox.models import OutboxItem
from tests.endorsements.conftest import endorser, submit
from workflow.review import application_reopen

pytestmark = pytest.mark.django_db


def endorsement_mail(subject_start):
    return sorted(m.to[0] for m in mail.outbox if m.subject.startswith(subject_start))


def test_the_countrys_active_endorsers_are_told_of_a_submitted_application_once(
    draft, applicant, django_capture_on_commit_callbacks
):
    endorser("salute@ministero.example")
    endorser("regioni@ministero.example")
    endorser("former@ministero.example", active=False)
    endorser("sante@ministere.example", country="FR")
    submit(draft, applicant, django_capture_on_commit_callbacks)
    assert endorsement_mail("To endorse") == [
        "regioni@ministero.example",
        "salute@ministero.example",
    ]
    message = next(m for m in mail.outbox if m.subject.startswith("To endorse"))
    assert f"/endorsements/{draft.public_id}/" in message.body
    assert "Confirm the letter of endorsement the applicant uploaded" in message.body
    assert "(Europe/Brussels)" in message.body  # the closing time carries its zone
    assert "Ospedale di Torino" in message.subject

    # Reopened and submitted again: nobody is told twice.
    with django_capture_on_commit_callbacks(execute=True):
        application_reopen(application=draft, user=applicant)
    submit(draft, applicant, django_capture_on_commit_callbacks)
    assert len(endorsement_mail("To endorse")) == 2


def test_endorsers_are_reminded_once_before_endorsement_closes(
    draft, applicant, call, django_capture_on_commit_callbacks
):
    endorser("salute@ministero.example")
    endorser("regioni@ministero.example")
    submit(draft, applicant, django_capture_on_commit_callbacks)
    # The call closes tomorrow, but its endorsement only in ten days: too early to remind.
    call.closes_at = timezone.now() + datetime.timedelta(days=1)
    call.endorsement_closes_at = timezone.now() + datetime.timedelta(days=10)
    call.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert endorsement_reminders_task() == 0
    # Endorsement closing with the call, in two days: within three days.
    call.closes_at = timezone.now() + datetime.timedelta(days=2)
    call.endorsement_closes_at = None
    call.save()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            endorsement_reminders_task()
    assert endorsement_mail("Reminder: endorsement") == [
        "regioni@ministero.example",
        "salute@ministero.example",
    ]
    keys = OutboxItem.objects.filter(
        key__startswith=f"email:{NotificationKind.ENDORSEMENT_REMINDER}:{draft.pk}:"
    ).values_list("key", flat=True)
    assert len(set(keys)) == 2  # one per (application, endorser)


def test_an_application_already_endorsed_is_not_reminded(
    draft, applicant, call, django_capture_on_commit_callbacks
):
    italian = endorser("salute@ministero.example")
    submit(draft, applicant, django_capture_on_commit_callbacks)
    endorsement_decide(
        application=draft,
        user=italian.user,
        decision=EndorserDecision.CONFIRM_LETTER,
        signatory_name="Giulia Bianchi",
        signatory_role="Director-General",
    )
    call.closes_at = timezone.now() + datetime.timedelta(days=1)
    call.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert endorsement_reminders_task() == 0
    assert endorsement_mail("Reminder: endorsement") == []
