"""The endorsement's transition table, walked pair by pair and actor by actor: each allowed
change is made, recorded in its history and audited; each refused one changes nothing."""

import itertools

import pytest

from audit.models import AuditEntry
from endorsements.enums import EndorsementActor, EndorsementState
from endorsements.models import EndorsementChange, NationalEndorsement
from endorsements.services.transitions import (
    TRANSITIONS,
    TransitionError,
    endorsement_transition,
    transition_allowed,
)
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

S = EndorsementState
ENDORSER, SYSTEM = EndorsementActor.ENDORSER, EndorsementActor.SYSTEM
# The process written out again: changing the table is a decision.
ALLOWED = {
    (S.PENDING, S.LETTER_UPLOADED, SYSTEM),
    (S.LETTER_CONFIRMED, S.LETTER_UPLOADED, SYSTEM),
    (S.PENDING, S.ENDORSED, ENDORSER),
    (S.PENDING, S.DECLINED, ENDORSER),
    (S.LETTER_UPLOADED, S.LETTER_CONFIRMED, ENDORSER),
    (S.LETTER_UPLOADED, S.ENDORSED, ENDORSER),
    (S.LETTER_UPLOADED, S.DECLINED, ENDORSER),
    (S.ENDORSED, S.DECLINED, ENDORSER),
    (S.LETTER_CONFIRMED, S.DECLINED, ENDORSER),
    (S.DECLINED, S.ENDORSED, ENDORSER),
    (S.DECLINED, S.LETTER_CONFIRMED, ENDORSER),
}


def test_the_table_is_the_one_the_process_describes():
    table = {(a, b, actor) for (a, b), actors in TRANSITIONS.items() for actor in actors}
    assert table == ALLOWED


@pytest.mark.parametrize(
    ("from_state", "to_state", "actor_kind"),
    list(itertools.product(S, S, EndorsementActor)),
)
def test_each_change_is_made_and_audited_once_or_refused_without_a_trace(
    from_state, to_state, actor_kind
):
    application = ApplicationFactory()
    endorsement = NationalEndorsement.objects.create(application=application, state=from_state)
    actor = UserFactory()
    entries = AuditEntry.objects.count()
    if (from_state, to_state, actor_kind) in ALLOWED:
        assert transition_allowed(from_state=from_state, to_state=to_state, actor_kind=actor_kind)
        endorsement_transition(
            endorsement=endorsement,
            to_state=to_state,
            actor=actor,
            actor_kind=actor_kind,
            reason="why",
        )
        endorsement.refresh_from_db()
        assert endorsement.state == to_state
        change = EndorsementChange.objects.get(endorsement=endorsement)
        assert (change.from_state, change.to_state, change.actor, change.reason) == (
            from_state,
            to_state,
            actor,
            "why",
        )
        entry = AuditEntry.objects.get(action="endorsement.state")
        assert entry.data == {"from": from_state, "to": to_state}
        assert AuditEntry.objects.count() == entries + 1
    else:
        with pytest.raises(TransitionError):
            endorsement_transition(
                endorsement=endorsement, to_state=to_state, actor=actor, actor_kind=actor_kind
            )
        endorsement.refresh_from_db()
        assert endorsement.state == from_state
        assert not EndorsementChange.objects.exists()
        assert AuditEntry.objects.count() == entries
