"""The catalogue of emails the portal sends: for each kind, who gets it and what it says.

Subjects and bodies are templates in templates/notifications/<kind>/{subject,body}.txt.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.urls import reverse


class NotificationKind(models.TextChoices):
    INVITATION = "invitation"
    JOIN_REQUEST = "join_request"
    JOIN_DECISION = "join_decision"
    SUBMISSION_RECEIPT = "submission_receipt"
    ASSIGNMENT = "assignment"
    REVIEW_REMINDER = "review_reminder"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Notification:
    load: Callable[[int], object]  # raises DoesNotExist when the object is gone
    recipients: Callable[[object], list[str]]
    context: Callable[[object], dict]
    attachments: Callable[[object], list[Attachment]] = field(default=lambda obj: [])


def _invitation(pk):
    from accounts.models import Invitation

    return Invitation.objects.select_related("institution", "invited_by").get(pk=pk)


def _join_request(pk):
    from accounts.models import JoinRequest

    return JoinRequest.objects.select_related("institution", "user").get(pk=pk)


def _managers_of(join_request) -> list[str]:
    from accounts.enums import MANAGING_ROLES

    return sorted(
        join_request.institution.affiliations.filter(role__in=MANAGING_ROLES).values_list(
            "user__email", flat=True
        )
    )


def _submission(pk):
    from applications.models import Submission

    return Submission.objects.select_related(
        "application__call", "application__institution", "submitted_by"
    ).get(pk=pk)


def _submission_recipients(submission) -> list[str]:
    from accounts.enums import MANAGING_ROLES

    managers = submission.application.institution.affiliations.filter(
        role__in=MANAGING_ROLES
    ).values_list("user__email", flat=True)
    return sorted({submission.submitted_by.email, *managers})


def _receipt_attachment(submission) -> list[Attachment]:
    from applications.receipts import receipt_filename, receipt_pdf

    return [Attachment(receipt_filename(submission), receipt_pdf(submission), "application/pdf")]


def _assignment(pk):
    from reviews.models import Assignment

    return Assignment.objects.select_related(
        "reviewer__user", "application__call__network", "application__institution"
    ).get(pk=pk)


CATALOGUE: dict[str, Notification] = {
    NotificationKind.INVITATION: Notification(
        load=_invitation,
        recipients=lambda invitation: [invitation.email],
        context=lambda invitation: {
            "invitation": invitation,
            "path": reverse("accounts:invitation", kwargs={"token": invitation.token}),
        },
    ),
    NotificationKind.JOIN_REQUEST: Notification(
        load=_join_request,
        recipients=_managers_of,
        context=lambda join_request: {
            "join_request": join_request,
            "path": reverse("accounts:institution", kwargs={"pk": join_request.institution_id}),
        },
    ),
    NotificationKind.JOIN_DECISION: Notification(
        load=_join_request,
        recipients=lambda join_request: [join_request.user.email],
        context=lambda join_request: {
            "join_request": join_request,
            "path": reverse("applications:mine"),
        },
    ),
    NotificationKind.SUBMISSION_RECEIPT: Notification(
        load=_submission,
        recipients=_submission_recipients,
        context=lambda submission: {
            "submission": submission,
            "application": submission.application,
            "path": submission.application.get_absolute_url(),
        },
        attachments=_receipt_attachment,
    ),
    NotificationKind.REVIEW_REMINDER: Notification(
        load=_assignment,
        recipients=lambda assignment: [assignment.reviewer.user.email],
        context=lambda assignment: {
            "assignment": assignment,
            "path": assignment.get_absolute_url(),
        },
    ),
    NotificationKind.ASSIGNMENT: Notification(
        load=_assignment,
        recipients=lambda assignment: [assignment.reviewer.user.email],
        context=lambda assignment: {
            "assignment": assignment,
            "path": assignment.get_absolute_url(),
        },
    ),
}
