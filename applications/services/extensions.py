"""A later deadline for one applicant: granted by a coordinator of the network, with a reason,
no more than DEADLINE_EXTENSION_MAX_DAYS after the call's deadline; audited, and the people
acting for the institution are told."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import ApplicationStatus
from applications.models import Application, DeadlineExtension
from audit.services import audit_record
from networks.rules import coordinator_required
from notifications.catalogue import NotificationKind
from notifications.services import notification_queue

# Applications whose applicant may still change and submit before a later deadline.
EXTENDABLE = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.IN_REVIEW,
)


def deadline_extension_latest(call_deadline: datetime.datetime) -> datetime.datetime:
    """The latest deadline a coordinator may grant one applicant of a call."""
    return call_deadline + datetime.timedelta(days=settings.DEADLINE_EXTENSION_MAX_DAYS)


@transaction.atomic
def deadline_extension_grant(
    *, application: Application, user: User, until: datetime.datetime, reason: str
) -> DeadlineExtension:
    """Give one application a deadline later than its call's, with a reason, or move the one it
    has. Refused for an application already decided, withdrawn or ruled ineligible, for a
    deadline not after the call's or not in the future, and past the setting's bound. Granting
    the same deadline again changes nothing (a double click is harmless)."""
    coordinator_required(user, application.call.network)
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=application.pk)
    )
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason for the extension.")
    call_deadline = locked.call.deadline
    latest = deadline_extension_latest(call_deadline)
    if until <= max(call_deadline, timezone.now()):
        errors["until"] = _("The new deadline must be after the call's deadline and in the future.")
    elif until > latest:
        errors["until"] = _(
            "A deadline can be extended by at most %(days)d days after the call's deadline."
        ) % {"days": settings.DEADLINE_EXTENSION_MAX_DAYS}
    if locked.status not in EXTENDABLE:
        errors["__all__"] = _("Only an application not yet decided can be given more time.")
    if errors:
        raise ValidationError(errors)
    existing = locked.deadline_extension_or_none
    if existing is not None and existing.until == until and existing.reason == reason.strip():
        return existing
    previous = existing.until if existing else None
    extension, _created = DeadlineExtension.objects.update_or_create(
        application=locked,
        defaults={
            "until": until,
            "reason": reason.strip(),
            "granted_by": user,
            "granted_at": timezone.now(),
        },
    )
    entry = audit_record(
        action="application.deadline_extended",
        obj=locked,
        actor=user,
        reason=extension.reason,
        data={
            "until": until.isoformat(),
            "previous": previous.isoformat() if previous else None,
            "call_deadline": call_deadline.isoformat(),
        },
    )
    notification_queue(kind=NotificationKind.DEADLINE_EXTENSION, object_id=entry.pk)
    application.deadline_extension = extension
    return extension
