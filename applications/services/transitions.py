"""The one place an application's status changes: an explicit table, a lock, an audit record."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import Actor, ApplicationStatus
from applications.models import Application, StatusChange
from audit.services import audit_record

S = ApplicationStatus

# (from, to) -> who may make that change. Nothing else assigns Application.status.
APPLICANT = frozenset({Actor.APPLICANT})
COORDINATOR = frozenset({Actor.COORDINATOR})
SYSTEM = frozenset({Actor.SYSTEM})
BOARD = frozenset({Actor.BOARD})

# The status an application has before it exists: the first change of every history leaves it.
NEW = ""

TRANSITIONS: dict[tuple[ApplicationStatus | str, ApplicationStatus], frozenset[Actor]] = {
    # Started by someone acting for the institution (application_started, below).
    (NEW, S.DRAFT): APPLICANT,
    (S.DRAFT, S.SUBMITTED): APPLICANT,
    # Reopened by the applicant to change and resubmit, until the deadline; open reviewer
    # assignments are withdrawn and the application is routed again when resubmitted.
    (S.SUBMITTED, S.DRAFT): APPLICANT,
    (S.ELIGIBLE, S.DRAFT): APPLICANT,
    (S.IN_REVIEW, S.DRAFT): APPLICANT,
    (S.DRAFT, S.WITHDRAWN): APPLICANT,
    (S.SUBMITTED, S.WITHDRAWN): APPLICANT,
    (S.ELIGIBLE, S.WITHDRAWN): APPLICANT,
    (S.IN_REVIEW, S.WITHDRAWN): APPLICANT,
    # The automatic eligibility check, which a coordinator can overrule.
    (S.SUBMITTED, S.ELIGIBLE): SYSTEM | COORDINATOR,
    (S.SUBMITTED, S.INELIGIBLE): COORDINATOR,
    (S.ELIGIBLE, S.INELIGIBLE): COORDINATOR,
    (S.IN_REVIEW, S.INELIGIBLE): COORDINATOR,
    (S.ELIGIBLE, S.IN_REVIEW): SYSTEM | COORDINATOR,
    # A ruling of ineligibility undone by a coordinator, with a reason, or on redress: back to
    # submitted (the automatic check runs again) or straight to eligible; routed as usual.
    (S.INELIGIBLE, S.SUBMITTED): COORDINATOR,
    (S.INELIGIBLE, S.ELIGIBLE): COORDINATOR,
    # Decisions, by a coordinator; a waitlisted or referred application is decided later.
    (S.ELIGIBLE, S.ACCEPTED): COORDINATOR,
    (S.ELIGIBLE, S.REJECTED): COORDINATOR,
    (S.IN_REVIEW, S.ACCEPTED): COORDINATOR,
    (S.IN_REVIEW, S.REJECTED): COORDINATOR,
    (S.IN_REVIEW, S.WAITLISTED): COORDINATOR,
    (S.IN_REVIEW, S.REFERRED): COORDINATOR,
    (S.WAITLISTED, S.ACCEPTED): COORDINATOR,
    (S.WAITLISTED, S.REJECTED): COORDINATOR,
    # A referred application is settled by the decision board itself.
    (S.REFERRED, S.ACCEPTED): BOARD,
    (S.REFERRED, S.REJECTED): BOARD,
    # The decision board sends a proposed decision back: the application returns to where it
    # was, and a coordinator proposes again (workflow.board.proposal_send_back).
    (S.ACCEPTED, S.ELIGIBLE): BOARD,
    (S.ACCEPTED, S.IN_REVIEW): BOARD,
    (S.ACCEPTED, S.WAITLISTED): BOARD,
    (S.REJECTED, S.ELIGIBLE): BOARD,
    (S.REJECTED, S.WAITLISTED): BOARD,
    (S.REFERRED, S.IN_REVIEW): BOARD,
    # More information: a coordinator reopens sections; the application returns to where it
    # was when the applicant sends the information, or when the request lapses at its due date.
    (S.SUBMITTED, S.INFORMATION_REQUESTED): COORDINATOR,
    (S.ELIGIBLE, S.INFORMATION_REQUESTED): COORDINATOR,
    (S.IN_REVIEW, S.INFORMATION_REQUESTED): COORDINATOR,
    (S.INFORMATION_REQUESTED, S.SUBMITTED): APPLICANT | SYSTEM,
    (S.INFORMATION_REQUESTED, S.ELIGIBLE): APPLICANT | SYSTEM,
    (S.INFORMATION_REQUESTED, S.IN_REVIEW): APPLICANT | SYSTEM,
    (S.INFORMATION_REQUESTED, S.WITHDRAWN): APPLICANT,
    # Redress: a decision revised on the applicant's request returns the application to review,
    # only through workflow.decision.redress_decide; the coordinator decides again.
    (S.REJECTED, S.IN_REVIEW): COORDINATOR | BOARD,
    (S.WAITLISTED, S.IN_REVIEW): COORDINATOR | BOARD,
}


class TransitionError(ValidationError):
    """A change of state that the table does not allow for this actor."""


def transition_allowed(*, from_status: str, to_status: str, actor_kind: Actor) -> bool:
    """Whether the table lets this kind of actor make this change (`from_status` NEW: start)."""
    key = (S(from_status) if from_status != NEW else NEW, S(to_status))
    return actor_kind in TRANSITIONS.get(key, frozenset())


def _refused(from_status: str, to_status: str) -> TransitionError:
    return TransitionError(
        _("An application that is “%(from)s” cannot become “%(to)s” this way.")
        % {"from": S(from_status).label if from_status else _("new"), "to": S(to_status).label},
        code="transition_not_allowed",
    )


def _record(
    *,
    application: Application,
    from_status: str,
    to_status: str,
    actor: User | None,
    reason: str,
    at: datetime.datetime,
) -> None:
    """Write the status change and its audit entry, in the caller's transaction."""
    StatusChange.objects.create(
        application=application,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        at=at,
        reason=reason,
    )
    audit_record(
        action="application.status",
        obj=application,
        actor=actor,
        reason=reason,
        data={"from": from_status, "to": str(to_status)},
    )


@transaction.atomic
def application_started(
    *, application: Application, actor: User, actor_kind: Actor = Actor.APPLICANT
) -> Application:
    """Record the first entry of a new application's history: from NEW to draft, who and when,
    with its audit entry, like every other change.

    Called by applications.services.drafting.application_start in the transaction that created
    the application (with the status its model gives it, draft). Refused for an application
    that already has a history, so it is recorded once.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if (
        not transition_allowed(from_status=NEW, to_status=locked.status, actor_kind=actor_kind)
        or locked.status_changes.exists()
    ):
        raise _refused(NEW, locked.status)
    _record(
        application=locked,
        from_status=NEW,
        to_status=locked.status,
        actor=actor,
        reason="",
        at=locked.created_at,
    )
    return application


@transaction.atomic
def application_transition(
    *,
    application: Application,
    to_status: ApplicationStatus,
    actor: User | None,
    actor_kind: Actor,
    reason: str = "",
    check: Callable[[Application], None] | None = None,
    extra_fields: dict | None = None,
    at: datetime.datetime | None = None,
) -> Application:
    """Change an application's status, with the row locked, and record who, when, from, to, why.

    `check` runs on the locked row before the change (it raises ValidationError to refuse);
    `extra_fields` are saved with the status. `at` is when the change happens (now by
    default): a caller that records the same instant elsewhere passes it, so both agree.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    from_status = locked.status
    if not transition_allowed(from_status=from_status, to_status=to_status, actor_kind=actor_kind):
        raise _refused(from_status, to_status)
    if check is not None:
        check(locked)
    now = at or timezone.now()
    locked.status = to_status
    fields = {"status": to_status, **(extra_fields or {})}
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.updated_at = now
    locked.save(update_fields=[*fields, "updated_at"])
    _record(
        application=locked,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
        at=now,
    )
    # The caller's object follows the change too.
    for name, value in fields.items():
        setattr(application, name, value)
    application.updated_at = now
    return application
