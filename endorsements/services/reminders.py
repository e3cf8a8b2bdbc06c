"""Reminding national endorsers before a call's endorsement closes."""

import datetime

from django.db.models import Q
from django.utils import timezone

from applications.models import Application
from calls.models import Call
from endorsements.enums import AWAITING_STATES
from endorsements.selectors import endorsers_of_country
from endorsements.services.endorsing import NOT_ENDORSABLE
from notifications.catalogue import NotificationKind
from notifications.models import SentNotification
from notifications.services import notification_queue

# A suspension can move a deadline later: calls that closed this long ago are still looked at.
LOOK_BACK = datetime.timedelta(days=366)


def endorsement_reminders_queue(
    *, within: datetime.timedelta, now: datetime.datetime | None = None
) -> int:
    """Queue the reminder for each submitted application still awaiting its endorsement whose
    call's endorsement closes within `within`, to each endorser of its country not yet reminded
    of it. Returns how many applications were queued. Idempotent: the outbox key and the sent
    record are per (application, endorser)."""
    now = now or timezone.now()
    calls = [
        call
        for call in Call.objects.filter(
            Q(endorsement_closes_at__gt=now) | Q(closes_at__gt=now - LOOK_BACK)
        ).prefetch_related("suspensions")
        if now < call.endorsement_deadline <= now + within
    ]
    applications = (
        Application.objects.filter(call__in=calls, submitted_at__isnull=False)
        .exclude(status__in=NOT_ENDORSABLE)
        .filter(
            Q(national_endorsement__isnull=True)
            | Q(national_endorsement__state__in=AWAITING_STATES)
        )
        .select_related("institution")
    )
    sent = set(
        SentNotification.objects.filter(
            kind=NotificationKind.ENDORSEMENT_REMINDER, sent_at__isnull=False
        ).values_list("object_id", "recipient")
    )
    emails: dict[str, set[str]] = {}
    queued = 0
    for application in applications:
        country = application.institution.country.code
        if country not in emails:
            emails[country] = {e.user.email for e in endorsers_of_country(country=country)}
        if any((application.pk, email) not in sent for email in emails[country]):
            notification_queue(kind=NotificationKind.ENDORSEMENT_REMINDER, object_id=application.pk)
            queued += 1
    return queued
