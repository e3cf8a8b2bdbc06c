"""The one place an assignment begins or changes status: an explicit table, a lock, an audit
record. Shaped like applications/services/transitions.py, the application's own."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from notifications.services import notification_queue
from reviews.enums import AssignmentActor, AssignmentSource, AssignmentStatus
from reviews.models import Assignment

S = AssignmentStatus

# (from, to) -> who may make that change; from None is the assignment's creation. Nothing else
# assigns Assignment.status.
REVIEWER = frozenset({AssignmentActor.REVIEWER})
COORDINATOR = frozenset({AssignmentActor.COORDINATOR})
SYSTEM = frozenset({AssignmentActor.SYSTEM})

TRANSITIONS: dict[tuple[AssignmentStatus | None, AssignmentStatus], frozenset[AssignmentActor]] = {
    # Made by routing, or by a coordinator: chosen by hand or applied from a batch assignment.
    (None, S.PROPOSED): SYSTEM | COORDINATOR,
    # The reviewer replies. One who accepted may still decline, say on finding a conflict of
    # interest once they read the application; it is then routed to the next best reviewer.
    (S.PROPOSED, S.ACCEPTED): REVIEWER,
    (S.PROPOSED, S.DECLINED): REVIEWER,
    (S.ACCEPTED, S.DECLINED): REVIEWER,
    # A coordinator replaces the reviewer; the portal ends the open assignments of an
    # application that is reopened, withdrawn or ruled ineligible.
    (S.PROPOSED, S.WITHDRAWN): COORDINATOR | SYSTEM,
    (S.ACCEPTED, S.WITHDRAWN): COORDINATOR | SYSTEM,
    # The applicant reopens the application: its open assignments pause, keeping the reviewer's
    # place; on resubmission they resume as proposals of the new version, which the reviewer
    # accepts or declines again. A paused one may be declined meanwhile, or ended by the portal
    # when the application is withdrawn or ruled ineligible.
    (S.PROPOSED, S.PAUSED): SYSTEM,
    (S.ACCEPTED, S.PAUSED): SYSTEM,
    (S.PAUSED, S.PROPOSED): SYSTEM,
    (S.PAUSED, S.DECLINED): REVIEWER,
    (S.PAUSED, S.WITHDRAWN): SYSTEM,
}


class TransitionError(ValidationError):
    """A change of an assignment's state that the table does not allow for this actor."""


def transition_allowed(
    *, from_status: str | None, to_status: str, actor_kind: AssignmentActor
) -> bool:
    key = (None if from_status is None else S(from_status), S(to_status))
    return actor_kind in TRANSITIONS.get(key, frozenset())


def _refused(from_status: str | None, to_status: str) -> TransitionError:
    if from_status is None:
        message = _("An assignment cannot be made this way.")
    else:
        message = _("An assignment that is “%(from)s” cannot become “%(to)s” this way.") % {
            "from": S(from_status).label,
            "to": S(to_status).label,
        }
    return TransitionError(message, code="transition_not_allowed")


@transaction.atomic
def assignment_create(
    *,
    application_id: int,
    reviewer_id: int,
    source: AssignmentSource,
    affinity: float,
    due_at: datetime.datetime | None,
    actor: User | None,
    actor_kind: AssignmentActor,
    reason: str = "",
) -> Assignment:
    """Propose an application to a reviewer, and record who did, from nothing to "proposed", why.

    The caller has made the choice under its own locks (the call's row, so that two choices
    never take a reviewer's last place); the database refuses a second assignment of the same
    reviewer to the same application.
    """
    if not transition_allowed(from_status=None, to_status=S.PROPOSED, actor_kind=actor_kind):
        raise _refused(None, S.PROPOSED)
    assignment = Assignment.objects.create(
        application_id=application_id,
        reviewer_id=reviewer_id,
        status=S.PROPOSED,
        source=source,
        affinity=affinity,
        due_at=due_at,
    )
    audit_record(
        action="assignment.created",
        obj=assignment,
        actor=actor,
        reason=reason,
        data={
            "from": None,
            "to": str(S.PROPOSED),
            "reviewer": reviewer_id,
            "source": str(source),
            "affinity": str(round(affinity, 3)),
        },
    )
    return assignment


@transaction.atomic
def assignment_transition(
    *,
    assignment: Assignment,
    to_status: AssignmentStatus,
    actor: User | None,
    actor_kind: AssignmentActor,
    reason: str = "",
    extra_fields: dict | None = None,
    data: dict | None = None,
    notify: str | None = None,
) -> Assignment:
    """Change an assignment's status, with the row locked, and record who, when, from, to, why.

    `extra_fields` are saved with the status; `data` adds to the audit entry's from and to.
    `notify` names the notification kind that tells the reviewer; it is about this change's
    audit entry, so each change is told once however often the assignment changes.
    A caller that changes several assignments changes them in primary key order, so two such
    callers never wait on each other's locks.
    """
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    from_status = locked.status
    if not transition_allowed(from_status=from_status, to_status=to_status, actor_kind=actor_kind):
        raise _refused(from_status, to_status)
    fields = {"status": to_status, **(extra_fields or {})}
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(fields))
    entry = audit_record(
        action="assignment.status",
        obj=locked,
        actor=actor,
        reason=reason,
        data={**(data or {}), "from": from_status, "to": str(to_status)},
    )
    if notify is not None:
        notification_queue(kind=notify, object_id=entry.pk)
    # The caller's object follows the change too.
    for name, value in fields.items():
        setattr(assignment, name, value)
    return assignment
