"""The emails to reviewers: a new assignment, and the reminder before a review is due."""

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


def register() -> None:
    for kind in (NotificationKind.ASSIGNMENT, NotificationKind.REVIEW_REMINDER):
        notification_register(
            kind, Notification(load=_assignment, recipients=_reviewer, context=_context)
        )
