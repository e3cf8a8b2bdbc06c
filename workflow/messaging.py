"""Messages from a network's coordinators to all or a filtered set of a call's applicants: who
would receive one, what it looks like, and sending it once, through the outbox.

A step of the workflow because it filters by the status as the applicants know it: a decision
whose letter is not released yet is still secret, so "accepted" never reaches an institution
that has not been told."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Affiliation, User
from applications.models import ApplicantMessage, Application
from audit.services import audit_record
from calls.models import Call
from decisions.selectors import with_disclosed_status
from networks.rules import coordinator_required
from notifications.catalogue import CATALOGUE, NotificationKind
from notifications.services import notification_queue, notification_render


@dataclass(frozen=True)
class Audience:
    """The applications a message is about and the addresses it goes to."""

    applications: int
    recipients: list[str]


def applicant_message_audience(
    *,
    call: Call,
    statuses: Sequence[str] = (),
    countries: Sequence[str] = (),
    tiers: Sequence[str] = (),
) -> Audience:
    """Everyone with an active account acting for an institution that applied to the call, its
    applications filtered by status (as the applicants know it: an unreleased decision counts
    as the status before it), the institution's country and the tier asked for (an empty
    filter keeps all). Two queries, whatever the numbers."""
    applications = Application.objects.filter(call=call)
    if statuses:
        applications = with_disclosed_status(applications).filter(disclosed_status__in=statuses)
    if countries:
        applications = applications.filter(institution__country__in=countries)
    if tiers:
        applications = applications.filter(tier_requested__in=tiers)
    institutions = list(applications.values_list("institution_id", flat=True))
    recipients = sorted(
        set(
            Affiliation.objects.filter(
                institution_id__in=institutions, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )
    return Audience(applications=len(institutions), recipients=recipients)


def applicant_message_preview(
    *, call: Call, user: User, subject: str, body: str
) -> tuple[str, str]:
    """The subject and body each recipient will read, rendered as the email is."""
    message = ApplicantMessage(call=call, subject=subject, body=body, sent_by=user)
    spec = CATALOGUE[NotificationKind.APPLICANT_MESSAGE]
    return notification_render(
        spec=spec,
        kind=NotificationKind.APPLICANT_MESSAGE,
        obj=message,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


@transaction.atomic
def applicant_message_send(
    *,
    call: Call,
    user: User,
    subject: str,
    body: str,
    token: uuid.UUID,
    statuses: Sequence[str] = (),
    countries: Sequence[str] = (),
    tiers: Sequence[str] = (),
) -> tuple[ApplicantMessage, bool]:
    """Send a message to the call's applicants the filters keep: recorded, audited, and one
    outbox item per recipient. Returns the message and whether it was sent now; the same
    `token` again (a double click, a page sent twice) returns the message already sent."""
    coordinator_required(user, call.network)
    errors = {}
    if not subject.strip():
        errors["subject"] = _("Write the subject.")
    if not body.strip():
        errors["body"] = _("Write the message.")
    if errors:
        raise ValidationError(errors)
    already = ApplicantMessage.objects.filter(token=token).first()
    if already is not None:
        return already, False
    audience = applicant_message_audience(
        call=call, statuses=statuses, countries=countries, tiers=tiers
    )
    if not audience.recipients:
        raise ValidationError(_("No applicant matches these filters: nobody would receive it."))
    try:
        with transaction.atomic():
            message = ApplicantMessage.objects.create(
                call=call,
                subject=subject.strip(),
                body=body.strip(),
                statuses=list(statuses),
                countries=list(countries),
                tiers=list(tiers),
                recipients=audience.recipients,
                recipient_count=len(audience.recipients),
                token=token,
                sent_by=user,
                sent_at=timezone.now(),
            )
    except IntegrityError:
        # The same page sent twice at once: the first one's message stands.
        return ApplicantMessage.objects.get(token=token), False
    audit_record(
        action="applicant_message.sent",
        obj=message,
        actor=user,
        data={
            "call": call.pk,
            "subject": message.subject,
            "statuses": message.statuses,
            "countries": message.countries,
            "tiers": message.tiers,
            "recipients": message.recipient_count,
        },
    )
    notification_queue(kind=NotificationKind.APPLICANT_MESSAGE, object_id=message.pk)
    return message, True
