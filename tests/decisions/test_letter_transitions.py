"""A decision letter's transition table, walked pair by pair and actor by actor: each allowed
change is made and audited; each refused one changes nothing."""

import itertools

import pytest

from applications.enums import Actor
from audit.models import AuditEntry
from decisions.enums import LetterStatus
from decisions.models import Letter
from decisions.services.transitions import (
    LETTER_TRANSITIONS,
    LetterTransitionError,
    letter_transition,
    letter_transition_allowed,
)
from tests.decisions.conftest import decided_letter
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

L = LetterStatus
ALLOWED = {
    (L.DRAFT, L.RELEASED, Actor.COORDINATOR),
    (L.DRAFT, L.SUPERSEDED, Actor.SYSTEM),
    (L.RELEASED, L.SENT, Actor.SYSTEM),
    (L.RELEASED, L.FAILED, Actor.SYSTEM),
    (L.FAILED, L.RELEASED, Actor.COORDINATOR),
    (L.FAILED, L.SENT, Actor.SYSTEM),
}
PAIRS = list(itertools.product(L, L))


def test_the_table_is_the_one_the_process_describes():
    assert {
        (from_status, to_status, actor)
        for (from_status, to_status), actors in LETTER_TRANSITIONS.items()
        for actor in actors
    } == ALLOWED
    # Sent and superseded letters are records: nothing leaves those states.
    assert not [pair for pair in LETTER_TRANSITIONS if pair[0] in (L.SENT, L.SUPERSEDED)]


@pytest.mark.parametrize(("from_status", "to_status"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_every_change_is_made_and_audited_exactly_as_the_table_says(call, from_status, to_status):
    letter = decided_letter(call, "Ospedale di Pisa")
    user = UserFactory()
    for actor_kind in Actor:
        # The letter's released time is set with the status, as the services do.
        Letter.objects.filter(pk=letter.pk).update(
            status=from_status, released_at=letter.created_at
        )
        letter.status = from_status
        audited = AuditEntry.objects.count()
        allowed = (from_status, to_status, actor_kind) in ALLOWED
        assert (
            letter_transition_allowed(
                from_status=from_status, to_status=to_status, actor_kind=actor_kind
            )
            is allowed
        )
        if allowed:
            letter_transition(
                letter=letter, to_status=to_status, actor=user, actor_kind=actor_kind, reason="Yes"
            )
            assert Letter.objects.get(pk=letter.pk).status == to_status
            entry = AuditEntry.objects.latest("sequence")
            assert entry.actor == user and entry.reason == "Yes"
            assert (entry.data["from"], entry.data["to"]) == (from_status, to_status)
            assert AuditEntry.objects.count() == audited + 1
        else:
            with pytest.raises(LetterTransitionError):
                letter_transition(
                    letter=letter,
                    to_status=to_status,
                    actor=user,
                    actor_kind=actor_kind,
                    reason="No",
                )
            assert Letter.objects.get(pk=letter.pk).status == from_status
            assert AuditEntry.objects.count() == audited
