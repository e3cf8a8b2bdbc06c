"""The emails to reviewers: a new assignment, the reminder before a review is due, and the end
of an assignment the reviewer did not end themselves."""

from django.urls import reverse
from django.utils.translation import gettext as _

from applications.enums import ApplicationStatus
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


def _ended_context(assignment: Assignment) -> dict:
    # Why it ended, as the application's state tells it: the coordinator's reason for choosing
    # another reviewer is theirs, not the replaced reviewer's to read.
    why = {
        ApplicationStatus.DRAFT: _("The applicant reopened the application to change it."),
        ApplicationStatus.WITHDRAWN: _("The applicant withdrew the application."),
        ApplicationStatus.INELIGIBLE: _("The coordinators ruled the application ineligible."),
    }.get(
        assignment.application.status,
        _("The network's coordinators gave the application to another reviewer."),
    )
    return {"assignment": assignment, "path": reverse("reviews:assignments"), "why": why}


def register() -> None:
    for kind in (NotificationKind.ASSIGNMENT, NotificationKind.REVIEW_REMINDER):
        notification_register(
            kind, Notification(load=_assignment, recipients=_reviewer, context=_context)
        )
    notification_register(
        NotificationKind.ASSIGNMENT_ENDED,
        Notification(load=_assignment, recipients=_reviewer, context=_ended_context),
    )
