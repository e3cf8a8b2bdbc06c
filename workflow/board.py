"""The decision board's steps across apps: sending a proposed decision back to the coordinators
(the application returns to where it was, its letter is dropped), and settling a referred
application with the board's own decision. Approving is decisions.services.proposals."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import Actor, ApplicationStatus
from applications.models import Application
from applications.services.transitions import application_transition
from decisions.enums import LetterStatus, ProposalStatus
from decisions.models import Letter, Proposal
from decisions.services import latest_change
from decisions.services.letters import letter_draft
from decisions.services.proposals import (
    board_member_required,
    proposal_create,
    proposal_transition,
    waiting_proposal,
)
from decisions.services.transitions import letter_transition
from notifications.catalogue import NotificationKind
from notifications.services import notification_queue
from workflow.decision import acceptance_check

SETTLEMENTS = (ApplicationStatus.ACCEPTED, ApplicationStatus.REJECTED)


@transaction.atomic
def proposal_send_back(*, proposal: Proposal, user: User, reason: str) -> Proposal:
    """A member of the decision board sends a waiting proposal back, with a reason: the
    application returns to the status it had before, its draft letter is superseded, and a
    coordinator may propose again. Nothing of it reaches the applicant."""
    board_member_required(user)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for sending the proposal back.")})
    proposal = Proposal.objects.select_for_update().select_related("decision").get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(
            _("This proposal is “%(status)s”: it can no longer be sent back.")
            % {"status": proposal.get_status_display()}
        )
    decision = proposal.decision

    def still_current(application: Application) -> None:
        latest = latest_change(application)
        if latest is None or latest.pk != decision.pk:
            raise ValidationError(_("The application changed since this decision was proposed."))

    application_transition(
        application=proposal.application,
        to_status=ApplicationStatus(decision.from_status),
        actor=user,
        actor_kind=Actor.BOARD,
        reason=_("Proposal sent back by the decision board: %(reason)s")
        % {"reason": reason.strip()},
        check=still_current,
    )
    proposal_transition(
        proposal=proposal,
        to_status=ProposalStatus.SENT_BACK,
        actor=user,
        actor_kind=Actor.BOARD,
        reason=reason,
    )
    for letter in Letter.objects.filter(decision=decision, status=LetterStatus.DRAFT):
        letter_transition(
            letter=letter,
            to_status=LetterStatus.SUPERSEDED,
            actor=None,
            actor_kind=Actor.SYSTEM,
            reason=_("The decision board sent the decision back."),
        )
    # The coordinators are told, so that they propose again.
    notification_queue(kind=NotificationKind.PROPOSAL_SENT_BACK, object_id=proposal.pk)
    return proposal


@transaction.atomic
def referral_settle(
    *, application: Application, user: User, outcome: ApplicationStatus, reason: str
) -> Proposal:
    """A member of the decision board accepts or rejects a referred application: the board's
    decision is approved as it is made, its letter drafted for a coordinator to release. An
    acceptance needs what a coordinator's would (favourable opinion if the call asks for one,
    the affiliated-partner rule)."""
    board_member_required(user)
    if outcome not in SETTLEMENTS:
        raise ValidationError(
            {"outcome": _("The board accepts or rejects a referred application.")}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    if outcome == ApplicationStatus.ACCEPTED:
        acceptance_check(application)
    application_transition(
        application=application,
        to_status=outcome,
        actor=user,
        actor_kind=Actor.BOARD,
        reason=reason,
    )
    referral = waiting_proposal(application)
    if referral is not None:
        proposal_transition(
            proposal=referral,
            to_status=ProposalStatus.SETTLED,
            actor=user,
            actor_kind=Actor.BOARD,
            reason=reason,
        )
    proposal = proposal_create(
        decision=latest_change(application), user=user, actor_kind=Actor.BOARD
    )
    letter_draft(application=application)
    return proposal
