"""The emails to reviewers: a new assignment, the reminder before a review is due, and an
assignment paused, resumed or ended (about the audit entry of that change)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from applications.enums import ApplicationStatus
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


def _why_ended(entry: AuditEntry) -> str:
    """Why an assignment ended, from what the change recorded: a coordinator's reason for
    choosing another reviewer, or for ruling the application ineligible, is not the reviewer's
    to read; the applicant's own reopening or withdrawal is said as such."""
    data = entry.data or {}
    if "replaced_by" in data:
        return _("The network's coordinators gave the application to another reviewer.")
    return {
        ApplicationStatus.DRAFT: _("The applicant reopened the application to change it."),
        ApplicationStatus.WITHDRAWN: _("The applicant withdrew the application."),
        ApplicationStatus.INELIGIBLE: _("The coordinators ruled the application ineligible."),
    }.get(data.get("application_status"), _("The review of the application has ended."))


def _change_context(assignment: Assignment) -> dict:
    change = assignment.change
    context = {**_context(assignment), "reason": change.reason}
    if change.data.get("to") == "withdrawn":
        # The ended assignment's own page is gone for the reviewer: the list is where to look;
        # only the applicant's own reason for withdrawing is theirs to read.
        withdrawn = change.data.get("application_status") == ApplicationStatus.WITHDRAWN
        context.update(
            why=_why_ended(change),
            reason=change.reason if withdrawn else "",
            path=reverse("reviews:assignments"),
        )
    return context


def register() -> None:
    for kind in (NotificationKind.ASSIGNMENT, NotificationKind.REVIEW_REMINDER):
        notification_register(
            kind, Notification(load=_assignment, recipients=_reviewer, context=_context)
        )
    for kind in CHANGES:
        notification_register(
            kind, Notification(load=_change, recipients=_reviewer, context=_change_context)
        )
