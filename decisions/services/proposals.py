"""Proposed decisions and the decision board: the one place a proposal's status changes (an
explicit table, a lock, an audit record), and the checks the board's approval stands for.

A coordinator's decision is a proposal for the call (workflow.decision.application_decide). A
member of the decision board approves it, and only then can its letter be released; or sends it
back with a reason, and the application returns to the coordinators, who propose again
(workflow.board). A referral is settled by the board's own decision, a proposal approved at once.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import Actor
from applications.models import Application, StatusChange
from audit.services import audit_record
from decisions.enums import ProposalStatus
from decisions.models import Proposal
from decisions.rules import is_board_member

P = ProposalStatus
NEW = ""
COORDINATOR = frozenset({Actor.COORDINATOR})
BOARD = frozenset({Actor.BOARD})
SYSTEM = frozenset({Actor.SYSTEM})

# (from, to) -> who may make that change. Nothing else assigns Proposal.status.
PROPOSAL_TRANSITIONS: dict[tuple[ProposalStatus | str, ProposalStatus], frozenset[Actor]] = {
    (NEW, P.PROPOSED): COORDINATOR,
    # The board's own decision on a referred application needs no other approval.
    (NEW, P.APPROVED): BOARD,
    (P.PROPOSED, P.APPROVED): BOARD,
    (P.PROPOSED, P.SENT_BACK): BOARD,
    (P.PROPOSED, P.SETTLED): BOARD,
    # A coordinator decided again (a waitlisted application accepted, say) before the board did.
    (P.PROPOSED, P.SUPERSEDED): SYSTEM,
}

AUDIT_ACTIONS = {
    P.PROPOSED: "proposal.proposed",
    P.APPROVED: "proposal.approved",
    P.SENT_BACK: "proposal.sent_back",
    P.SETTLED: "proposal.settled",
    P.SUPERSEDED: "proposal.superseded",
}
BOARD_FIELDS = ("board_by", "board_at", "board_reason")


class ProposalTransitionError(ValidationError):
    """A change of a proposal's state that the table does not allow for this actor."""


def proposal_transition_allowed(*, from_status: str, to_status: str, actor_kind: Actor) -> bool:
    key = (P(from_status) if from_status != NEW else NEW, P(to_status))
    return actor_kind in PROPOSAL_TRANSITIONS.get(key, frozenset())


def _refused(from_status: str, to_status: str) -> ProposalTransitionError:
    return ProposalTransitionError(
        _("A proposal that is “%(from)s” cannot become “%(to)s” this way.")
        % {"from": P(from_status).label if from_status else _("new"), "to": P(to_status).label},
        code="transition_not_allowed",
    )


def _audit(proposal: Proposal, *, from_status: str, actor: User | None, reason: str, data=None):
    audit_record(
        action=AUDIT_ACTIONS[P(proposal.status)],
        obj=proposal,
        actor=actor,
        reason=reason,
        data={
            "proposal": proposal.pk,
            "outcome": proposal.outcome,
            "from": from_status,
            "to": proposal.status,
            **(data or {}),
        },
    )


@transaction.atomic
def proposal_create(
    *,
    decision: StatusChange,
    user: User,
    actor_kind: Actor,
    overridden: list[str] | None = None,
    override_reason: str = "",
) -> Proposal:
    """Record the decision just made as a proposal: waiting for the board when a coordinator
    made it, approved at once when the board settled a referral itself. A proposal still
    waiting on the same application is superseded."""
    to_status = P.PROPOSED if actor_kind == Actor.COORDINATOR else P.APPROVED
    if not proposal_transition_allowed(from_status=NEW, to_status=to_status, actor_kind=actor_kind):
        raise _refused(NEW, to_status)
    for waiting in Proposal.objects.filter(
        application_id=decision.application_id, status=P.PROPOSED
    ):
        proposal_transition(
            proposal=waiting,
            to_status=P.SUPERSEDED,
            actor=None,
            actor_kind=Actor.SYSTEM,
            reason=_("A later decision was made."),
        )
    now = timezone.now()
    board = {"board_by": user, "board_at": now} if to_status == P.APPROVED else {}
    proposal = Proposal.objects.create(
        application_id=decision.application_id,
        decision=decision,
        outcome=decision.to_status,
        status=to_status,
        proposed_by=user,
        proposed_at=now,
        overridden=list(overridden or []),
        override_reason=override_reason.strip(),
        **board,
    )
    _audit(
        proposal,
        from_status=NEW,
        actor=user,
        reason=decision.reason,
        data={"overridden": proposal.overridden, "override_reason": proposal.override_reason},
    )
    return proposal


@transaction.atomic
def proposal_transition(
    *,
    proposal: Proposal,
    to_status: ProposalStatus,
    actor: User | None,
    actor_kind: Actor,
    reason: str = "",
) -> Proposal:
    """Change a proposal's status, with its row locked, and record who, when, from, to, why.
    The board's changes also record on the proposal who made them, when, and why."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    from_status = locked.status
    if not proposal_transition_allowed(
        from_status=from_status, to_status=to_status, actor_kind=actor_kind
    ):
        raise _refused(from_status, to_status)
    fields = {"status": to_status}
    if actor_kind == Actor.BOARD:
        fields.update(board_by=actor, board_at=timezone.now(), board_reason=reason.strip())
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(fields))
    _audit(locked, from_status=from_status, actor=actor, reason=reason)
    for name, value in fields.items():
        setattr(proposal, name, value)
    return proposal


def board_member_required(user: User) -> None:
    """Refuse anyone but a member of the decision board."""
    if not is_board_member(user):
        raise PermissionDenied(_("Only a member of the decision board may do this."))


def waiting_proposal(application: Application) -> Proposal | None:
    """The proposal on the application waiting for the board, if any."""
    return Proposal.objects.filter(application=application, status=P.PROPOSED).first()


@transaction.atomic
def proposal_approve(*, proposal: Proposal, user: User) -> Proposal:
    """A member of the decision board approves a waiting proposal: its letter can be released.
    A referral approved tells the applicant it is referred; the board then settles it."""
    board_member_required(user)
    return proposal_transition(
        proposal=proposal, to_status=P.APPROVED, actor=user, actor_kind=Actor.BOARD
    )


def proposal_approved(*, decision_id: int) -> bool:
    """Whether the decision was approved by the decision board (or made by it)."""
    return Proposal.objects.filter(decision_id=decision_id, status=P.APPROVED).exists()
