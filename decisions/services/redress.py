"""Redress: within the call's period an applicant asks for a review of a decision, with reasons;
a coordinator records the outcome, and a revised decision sends the application back to review.

A ruling of ineligibility can be contested the same way. It has no letter: the request is about
the status change that ruled it (`RedressRequest.ruling`), its period runs from that ruling, and
a revised ruling makes the application eligible again (workflow.decision.redress_decide).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import acts_for_institution
from applications.enums import ApplicationStatus
from applications.models import Application, StatusChange
from audit.services import audit_record
from decisions.enums import CONTESTABLE, DISCLOSED, RedressOutcome
from decisions.models import Letter, RedressRequest
from decisions.services import ensure_coordinator, latest_change
from decisions.services.letters import instant_text, letter_redress_until
from notifications.catalogue import NotificationKind
from notifications.services import notification_queue


def redress_letter(*, application: Application) -> Letter | None:
    """The released letter of the application's current decision, if it may be contested."""
    latest = latest_change(application)
    if latest is None:
        return None
    return (
        Letter.objects.filter(decision=latest, status__in=DISCLOSED, outcome__in=CONTESTABLE)
        .select_related("application__call")
        .first()
    )


def redress_ruling(*, application: Application) -> StatusChange | None:
    """The ruling that made the application ineligible, while it is its current state."""
    latest = latest_change(application)
    if latest is None or latest.to_status != ApplicationStatus.INELIGIBLE:
        return None
    return latest


def ruling_redress_until(ruling: StatusChange, call) -> datetime.datetime:
    """The end of the period in which a review of a ruling of ineligibility may be asked for."""
    return ruling.at + datetime.timedelta(days=call.redress_days)


def redress_refusal(*, letter: Letter | None, ruling: StatusChange | None = None, now=None) -> str:
    """Why a review of the decision (or the ruling) cannot be asked for now; empty if it can."""
    if letter is None and ruling is None:
        return _("There is no decision on this application that you can ask to have reviewed.")
    if letter is not None:
        asked = RedressRequest.objects.filter(letter=letter).exists()
        call = letter.application.call
        until = letter_redress_until(letter)
    else:
        asked = RedressRequest.objects.filter(ruling=ruling).exists()
        call = ruling.application.call
        until = ruling_redress_until(ruling, call)
    if asked:
        return _("A review of this decision has already been asked for.")
    if (now or timezone.now()) >= until:
        return _("The period to ask for a review of this decision ended on %(until)s.") % {
            "until": instant_text(until, call)
        }
    return ""


@transaction.atomic
def redress_request_submit(*, application: Application, user: User, reasons: str) -> RedressRequest:
    """Someone who acts for the institution asks, with reasons, for a review of the decision.

    Refused past the call's period, or when a review was already asked for; the coordinators
    of the network are told.
    """
    if not acts_for_institution(user, application.institution):
        raise PermissionDenied(_("Only people who act for the institution may ask for this."))
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give your reasons for asking for a review.")})
    letter = redress_letter(application=application)
    ruling = None
    if letter is not None:
        # Two submissions at once: the second waits here, then finds the first one's request.
        letter = (
            Letter.objects.select_for_update().select_related("application__call").get(pk=letter.pk)
        )
    else:
        # A ruling has no row of its own to lock: the application's serialises the same way.
        Application.objects.select_for_update().filter(pk=application.pk).first()
        ruling = redress_ruling(application=application)
    refusal = redress_refusal(letter=letter, ruling=ruling)
    if refusal:
        already = (
            letter is not None and RedressRequest.objects.filter(letter=letter).exists()
        ) or (ruling is not None and RedressRequest.objects.filter(ruling=ruling).exists())
        raise ValidationError(refusal, code="already_requested" if already else "refused")
    try:
        with transaction.atomic():
            redress = RedressRequest.objects.create(
                application=application,
                letter=letter,
                ruling=ruling,
                reasons=reasons.strip(),
                requested_by=user,
                requested_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(
            _("A review of this decision has already been asked for."), code="already_requested"
        ) from None
    audit_record(
        action="redress.requested",
        obj=redress,
        actor=user,
        reason=redress.reasons,
        data={
            "letter": letter.pk if letter else None,
            "ruling": ruling.pk if ruling else None,
            "decision": letter.outcome if letter else str(ApplicationStatus.INELIGIBLE),
        },
    )
    notification_queue(kind=NotificationKind.REDRESS_REQUEST, object_id=redress.pk)
    return redress


def redress_still_contested(redress: RedressRequest) -> bool:
    """The decision (or ruling) whose review was asked for is still the application's latest
    change."""
    latest = latest_change(redress.application)
    contested = redress.ruling_id if redress.letter_id is None else redress.letter.decision_id
    return latest is not None and latest.pk == contested


@transaction.atomic
def redress_outcome_record(
    *, redress: RedressRequest, user: User, outcome: RedressOutcome, reason: str
) -> RedressRequest:
    """A coordinator records the outcome of a review, and the applicant is told. A revised
    decision also returns the application to review: workflow.decision.redress_decide."""
    ensure_coordinator(redress.application, user)
    if outcome not in RedressOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the review.")})
    if not reason.strip():
        raise ValidationError({"outcome_reason": _("Give the reason for the outcome.")})
    locked = RedressRequest.objects.select_for_update().get(pk=redress.pk)
    if not locked.is_pending:
        raise ValidationError(_("The outcome of this review is already recorded."))
    locked.outcome = outcome
    locked.outcome_reason = reason.strip()
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["outcome", "outcome_reason", "decided_by", "decided_at"])
    audit_record(
        action="redress.decided",
        obj=locked,
        actor=user,
        reason=locked.outcome_reason,
        data={"outcome": str(outcome), "letter": locked.letter_id, "ruling": locked.ruling_id},
    )
    notification_queue(kind=NotificationKind.REDRESS_OUTCOME, object_id=locked.pk)
    for name in ("outcome", "outcome_reason", "decided_by", "decided_at"):
        setattr(redress, name, getattr(locked, name))
    return redress
