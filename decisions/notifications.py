"""The emails of decisions: the decision letter, the request for and outcome of a redress, and a
proposed decision the board sent back to the coordinators."""

from django.urls import reverse

from accounts.selectors import institution_manager_emails
from decisions.models import Letter, Proposal, RedressRequest
from decisions.services.letters import (
    letter_email_failed,
    letter_email_gave_up,
    letter_email_sent,
)
from notifications.catalogue import Notification, NotificationKind, notification_register


def _letter(pk: int) -> Letter:
    return Letter.objects.select_related(
        "application__institution", "application__representative", "application__deputy"
    ).get(pk=pk)


def _redress(pk: int) -> RedressRequest:
    return RedressRequest.objects.select_related(
        "application__call__network", "application__institution", "requested_by"
    ).get(pk=pk)


def _redress_coordinators(redress: RedressRequest) -> list[str]:
    network = redress.application.call.network
    return sorted(network.coordinators.filter(is_active=True).values_list("email", flat=True))


def _redress_applicants(redress: RedressRequest) -> list[str]:
    managers = institution_manager_emails(institution_id=redress.application.institution_id)
    return sorted({redress.requested_by.email, *managers})


def _proposal(pk: int) -> Proposal:
    return Proposal.objects.select_related(
        "application__call__network", "application__institution", "board_by"
    ).get(pk=pk)


def _proposal_coordinators(proposal: Proposal) -> list[str]:
    network = proposal.application.call.network
    return sorted(network.coordinators.filter(is_active=True).values_list("email", flat=True))


def register() -> None:
    # The letter's text is the coordinator's, drawn from decisions.LetterTemplate; its
    # recipients were fixed when it was released (decisions.services.letters.letter_release).
    notification_register(
        NotificationKind.DECISION_LETTER,
        Notification(
            load=_letter,
            recipients=lambda letter: list(letter.recipients),
            context=lambda letter: {
                "letter": letter,
                "path": letter.application.get_absolute_url(),
            },
            sent=letter_email_sent,
            attempt_failed=letter_email_failed,
            gave_up=letter_email_gave_up,
        ),
    )
    notification_register(
        NotificationKind.REDRESS_REQUEST,
        Notification(
            load=_redress,
            recipients=_redress_coordinators,
            context=lambda redress: {
                "redress": redress,
                "application": redress.application,
                "path": reverse("admin:decisions_redressrequest_change", args=[redress.pk]),
            },
        ),
    )
    notification_register(
        NotificationKind.REDRESS_OUTCOME,
        Notification(
            load=_redress,
            recipients=_redress_applicants,
            context=lambda redress: {
                "redress": redress,
                "application": redress.application,
                "path": redress.application.get_absolute_url(),
            },
        ),
    )
    notification_register(
        NotificationKind.PROPOSAL_SENT_BACK,
        Notification(
            load=_proposal,
            recipients=_proposal_coordinators,
            context=lambda proposal: {
                "proposal": proposal,
                "application": proposal.application,
                "path": reverse(
                    "admin:applications_application_change", args=[proposal.application_id]
                ),
            },
        ),
    )
