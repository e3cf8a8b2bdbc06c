"""The emails about applications: the submission receipt and requests for more information."""

from accounts.selectors import institution_manager_emails
from applications.models import ApplicantMessage, Application, InformationRequest, Submission
from applications.receipts import receipt_filename
from applications.services.receipts import receipt_bytes
from audit.models import AuditEntry
from instants.formatting import instant_text
from notifications.catalogue import (
    Attachment,
    Notification,
    NotificationKind,
    notification_register,
)


def _submission(pk: int) -> Submission:
    return Submission.objects.select_related(
        "application__call", "application__institution", "submitted_by"
    ).get(pk=pk)


def _submission_recipients(submission: Submission) -> list[str]:
    managers = institution_manager_emails(institution_id=submission.application.institution_id)
    return sorted({submission.submitted_by.email, *managers})


def _receipt_attachment(submission: Submission) -> list[Attachment]:
    # The receipt kept by its job, which queued this email once it had made it.
    pdf = receipt_bytes(submission=submission)
    return [Attachment(receipt_filename(submission), pdf, "application/pdf")]


def _information_request(pk: int) -> InformationRequest:
    return (
        InformationRequest.objects.select_related(
            "application__call__network", "application__institution"
        )
        .prefetch_related("sections", "documents")
        .get(pk=pk)
    )


def _everyone_acting_for(information_request: InformationRequest) -> list[str]:
    return sorted(
        information_request.application.institution.affiliations.filter(
            user__is_active=True
        ).values_list("user__email", flat=True)
    )


def _information_request_context(information_request: InformationRequest) -> dict:
    call = information_request.application.call
    return {
        "information_request": information_request,
        "application": information_request.application,
        "due": instant_text(information_request.due_at, call.time_zone),
        "path": information_request.application.get_absolute_url(),
    }


def _extension(pk: int) -> Application:
    """The application given a later deadline, by that grant's audit entry (`grant`): each
    grant is told once, however often the deadline moves."""
    entry = AuditEntry.objects.get(pk=pk)
    application = Application.objects.select_related(
        "call__network", "institution", "deadline_extension"
    ).get(pk=entry.application_id)
    application.grant = entry
    return application


def _extension_context(application: Application) -> dict:
    call = application.call
    return {
        "application": application,
        "reason": application.grant.reason,
        "until": instant_text(application.deadline, call.time_zone),
        "path": application.get_absolute_url(),
    }


def _everyone_acting_for_application(application: Application) -> list[str]:
    return sorted(
        application.institution.affiliations.filter(user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


def _applicant_message(pk: int) -> ApplicantMessage:
    return ApplicantMessage.objects.select_related("call__network", "sent_by").get(pk=pk)


def _applicant_message_context(message: ApplicantMessage) -> dict:
    return {"message": message, "call": message.call, "path": message.call.get_absolute_url()}


def register() -> None:
    notification_register(
        NotificationKind.SUBMISSION_RECEIPT,
        Notification(
            load=_submission,
            recipients=_submission_recipients,
            context=lambda submission: {
                "submission": submission,
                "application": submission.application,
                "path": submission.application.get_absolute_url(),
            },
            attachments=_receipt_attachment,
        ),
    )
    notification_register(
        NotificationKind.INFORMATION_REQUEST,
        Notification(
            load=_information_request,
            recipients=_everyone_acting_for,
            context=_information_request_context,
        ),
    )
    notification_register(
        NotificationKind.DEADLINE_EXTENSION,
        Notification(
            load=_extension,
            recipients=_everyone_acting_for_application,
            context=_extension_context,
        ),
    )
    notification_register(
        NotificationKind.APPLICANT_MESSAGE,
        Notification(
            load=_applicant_message,
            # Fixed when it was sent.
            recipients=lambda message: list(message.recipients),
            context=_applicant_message_context,
        ),
    )
