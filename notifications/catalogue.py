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
    DECISION_LETTER = "decision_letter"
    REDRESS_REQUEST = "redress_request"
    REDRESS_OUTCOME = "redress_outcome"
    INFORMATION_REQUEST = "information_request"


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


def _information_request(pk):
    from applications.models import InformationRequest

    return (
        InformationRequest.objects.select_related(
            "application__call__network", "application__institution"
        )
        .prefetch_related("sections", "documents")
        .get(pk=pk)
    )


def _applicants_of(information_request) -> list[str]:
    return sorted(
        information_request.application.institution.affiliations.values_list(
            "user__email", flat=True
        )
    )


def _information_request_context(information_request) -> dict:
    from django.utils import dateformat, timezone

    call = information_request.application.call
    due_at = timezone.localtime(information_request.due_at, call.zone)
    return {
        "information_request": information_request,
        "application": information_request.application,
        # Formatted here in the call's time zone: the |date filter would use the active zone.
        "due": dateformat.format(due_at, "j F Y, H:i T") + f" ({call.time_zone})",
        "path": information_request.application.get_absolute_url(),
    }


def _letter(pk):
    from decisions.models import Letter

    return Letter.objects.select_related(
        "application__institution", "application__representative", "application__deputy"
    ).get(pk=pk)


def _letter_recipients(letter) -> list[str]:
    from decisions.services.letters import letter_recipients

    return letter_recipients(letter)


def _redress(pk):
    from decisions.models import RedressRequest

    return RedressRequest.objects.select_related(
        "application__call__network", "application__institution", "requested_by"
    ).get(pk=pk)


def _redress_coordinators(redress) -> list[str]:
    network = redress.application.call.network
    return sorted(network.coordinators.filter(is_active=True).values_list("email", flat=True))


def _redress_applicants(redress) -> list[str]:
    from accounts.enums import MANAGING_ROLES

    managers = redress.application.institution.affiliations.filter(
        role__in=MANAGING_ROLES
    ).values_list("user__email", flat=True)
    return sorted({redress.requested_by.email, *managers})


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
    # The letter's text is the coordinator's, drawn from decisions.LetterTemplate; it is sent
    # through here for the once-per-recipient record, by decisions.services.letters.letter_send.
    NotificationKind.DECISION_LETTER: Notification(
        load=_letter,
        recipients=_letter_recipients,
        context=lambda letter: {"letter": letter, "path": letter.application.get_absolute_url()},
    ),
    NotificationKind.REDRESS_REQUEST: Notification(
        load=_redress,
        recipients=_redress_coordinators,
        context=lambda redress: {
            "redress": redress,
            "application": redress.application,
            "path": reverse("admin:decisions_redressrequest_change", args=[redress.pk]),
        },
    ),
    NotificationKind.REDRESS_OUTCOME: Notification(
        load=_redress,
        recipients=_redress_applicants,
        context=lambda redress: {
            "redress": redress,
            "application": redress.application,
            "path": redress.application.get_absolute_url(),
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
    NotificationKind.INFORMATION_REQUEST: Notification(
        load=_information_request,
        recipients=_applicants_of,
        context=_information_request_context,
    ),
}
