"""A proposal's transition table, walked pair by pair and actor by actor: each allowed change is
made and audited; each refused one changes nothing."""

import itertools

import pytest

from applications.enums import Actor
from audit.models import AuditEntry
from decisions.enums import ProposalStatus
from decisions.models import Proposal
from decisions.services.proposals import (
    NEW,
    PROPOSAL_TRANSITIONS,
    ProposalTransitionError,
    proposal_transition,
    proposal_transition_allowed,
)
from tests.board.conftest import proposed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

P = ProposalStatus
ALLOWED = {
    (NEW, P.PROPOSED, Actor.COORDINATOR),
    (NEW, P.APPROVED, Actor.BOARD),
    (P.PROPOSED, P.APPROVED, Actor.BOARD),
    (P.PROPOSED, P.SENT_BACK, Actor.BOARD),
    (P.PROPOSED, P.SETTLED, Actor.BOARD),
    (P.PROPOSED, P.SUPERSEDED, Actor.SYSTEM),
}
PAIRS = list(itertools.product(P, P))


def test_the_table_is_the_one_the_process_describes():
    assert {
        (from_status, to_status, actor)
        for (from_status, to_status), actors in PROPOSAL_TRANSITIONS.items()
        for actor in actors
    } == ALLOWED
    # Only a waiting proposal changes: the board's answer is a record.
    assert not [pair for pair in PROPOSAL_TRANSITIONS if pair[0] not in (NEW, P.PROPOSED)]


@pytest.mark.parametrize(("from_status", "to_status"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_every_change_is_made_and_audited_exactly_as_the_table_says(call, from_status, to_status):
    user = UserFactory()
    application = proposed(call, "Ospedale di Pisa", proposer=user)
    proposal = Proposal.objects.get(application=application)
    for actor_kind in Actor:
        Proposal.objects.filter(pk=proposal.pk).update(
            status=from_status, board_at=proposal.proposed_at
        )
        proposal.status = from_status
        audited = AuditEntry.objects.count()
        allowed = (from_status, to_status, actor_kind) in ALLOWED
        assert (
            proposal_transition_allowed(
                from_status=from_status, to_status=to_status, actor_kind=actor_kind
            )
            is allowed
        )
        if allowed:
            proposal_transition(
                proposal=proposal,
                to_status=to_status,
                actor=user,
                actor_kind=actor_kind,
                reason="r",
            )
            proposal.refresh_from_db()
            assert proposal.status == to_status
            entry = AuditEntry.objects.order_by("-sequence").first()
            assert AuditEntry.objects.count() == audited + 1
            assert entry.data["from"] == from_status and entry.data["to"] == to_status
            assert entry.application_id == application.pk
            if actor_kind == Actor.BOARD:
                assert proposal.board_by == user and proposal.board_at is not None
        else:
            with pytest.raises(ProposalTransitionError):
                proposal_transition(
                    proposal=proposal, to_status=to_status, actor=user, actor_kind=actor_kind
                )
            proposal.refresh_from_db()
            assert proposal.status == from_status
            assert AuditEntry.objects.count() == audited
