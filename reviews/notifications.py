"""The emails to reviewers: a new assignment, the reminder before a review is due, and an
assignment paused, resumed or ended (about the audit entry of that change)."""

from audit.models import AuditEntry
from notifications.catalogue import Notification, NotificationKind, notification_register
from reviews.models import Assignment


def _assignment(pk: int) -> Assignment:
    return Assignment.objects.select_related(
        "reviewer__user", "application__call__network", "application__institution"
    ).get(pk=pk)


def _reviewer(assignment: Assignment) -> list[str]:
    return [assignment.reviewer.user.email] if assignment.reviewer.user.is_active else []


def _context(assignment: Assignment) -> dict:
    return {"assignment": assignment, "path": assignment.get_absolute_url()}


CHANGES = (
    NotificationKind.ASSIGNMENT_PAUSED,
    NotificationKind.ASSIGNMENT_RESUMED,
    NotificationKind.ASSIGNMENT_ENDED,
)


def _change(pk: int) -> Assignment:
    """The assignment a change was made to, with that change's audit entry as `change`."""
    entry = AuditEntry.objects.get(pk=pk)
    assignment = _assignment(int(entry.object_id))
    assignment.change = entry
    return assignment


def _change_context(assignment: Assignment) -> dict:
    return {**_context(assignment), "reason": assignment.change.reason}


def register() -> None:
    for kind in (NotificationKind.ASSIGNMENT, NotificationKind.REVIEW_REMINDER):
        notification_register(
            kind, Notification(load=_assignment, recipients=_reviewer, context=_context)
        )
    for kind in CHANGES:
        notification_register(
            kind, Notification(load=_change, recipients=_reviewer, context=_change_context)
        )
