"""The application's transition table, walked pair by pair and actor by actor: each allowed
change is made, recorded in the history and audited; each refused one changes nothing."""

import itertools

import pytest

from applications.enums import Actor, ApplicationStatus
from applications.models import Application, StatusChange
from applications.services.transitions import (
    NEW,
    TRANSITIONS,
    TransitionError,
    application_transition,
    transition_allowed,
)
from audit.models import AuditEntry
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

S = ApplicationStatus
APPLICANT, COORDINATOR, SYSTEM = Actor.APPLICANT, Actor.COORDINATOR, Actor.SYSTEM
BOARD = Actor.BOARD
UNDECIDED = (S.SUBMITTED, S.ELIGIBLE, S.IN_REVIEW)
# The process as the domain describes it, written out again: changing the table is a decision.
ALLOWED = {
    (NEW, S.DRAFT, APPLICANT),  # started: application_started, tested in test_drafting.py
    (S.DRAFT, S.SUBMITTED, APPLICANT),
    *((status, S.DRAFT, APPLICANT) for status in UNDECIDED),
    *((status, S.WITHDRAWN, APPLICANT) for status in (S.DRAFT, *UNDECIDED)),
    (S.INFORMATION_REQUESTED, S.WITHDRAWN, APPLICANT),
    (S.SUBMITTED, S.ELIGIBLE, SYSTEM),
    (S.SUBMITTED, S.ELIGIBLE, COORDINATOR),
    *((status, S.INELIGIBLE, COORDINATOR) for status in UNDECIDED),
    (S.ELIGIBLE, S.IN_REVIEW, SYSTEM),
    (S.ELIGIBLE, S.IN_REVIEW, COORDINATOR),
    *((S.ELIGIBLE, outcome, COORDINATOR) for outcome in (S.ACCEPTED, S.REJECTED)),
    *(
        (S.IN_REVIEW, outcome, COORDINATOR)
        for outcome in (S.ACCEPTED, S.REJECTED, S.WAITLISTED, S.REFERRED)
    ),
    *((S.WAITLISTED, outcome, COORDINATOR) for outcome in (S.ACCEPTED, S.REJECTED)),
    # The decision board settles referrals, and sends proposals back to where they came from.
    *((S.REFERRED, outcome, BOARD) for outcome in (S.ACCEPTED, S.REJECTED)),
    *((S.ACCEPTED, status, BOARD) for status in (S.ELIGIBLE, S.IN_REVIEW, S.WAITLISTED)),
    *((S.REJECTED, status, BOARD) for status in (S.ELIGIBLE, S.IN_REVIEW, S.WAITLISTED)),
    (S.WAITLISTED, S.IN_REVIEW, BOARD),
    (S.REFERRED, S.IN_REVIEW, BOARD),
    *((status, S.INFORMATION_REQUESTED, COORDINATOR) for status in UNDECIDED),
    *(
        (S.INFORMATION_REQUESTED, status, actor)
        for status in UNDECIDED
        for actor in (APPLICANT, SYSTEM)
    ),
    (S.REJECTED, S.IN_REVIEW, COORDINATOR),
    (S.WAITLISTED, S.IN_REVIEW, COORDINATOR),
    # Issue 11: a ruling of ineligibility undone, by a coordinator or on redress.
    (S.INELIGIBLE, S.SUBMITTED, COORDINATOR),
    (S.INELIGIBLE, S.ELIGIBLE, COORDINATOR),
}
PAIRS = list(itertools.product(S, S))


def test_the_table_is_the_one_the_process_describes():
    assert {
        (from_status, to_status, actor)
        for (from_status, to_status), actors in TRANSITIONS.items()
        for actor in actors
    } == ALLOWED


@pytest.mark.parametrize(("from_status", "to_status"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_every_change_is_made_and_recorded_exactly_as_the_table_says(from_status, to_status):
    application = ApplicationFactory(status=from_status)
    user = UserFactory()
    for actor_kind in Actor:
        Application.objects.filter(pk=application.pk).update(status=from_status)
        application.status = from_status
        history = StatusChange.objects.filter(application=application).count()
        audited = AuditEntry.objects.count()
        allowed = (from_status, to_status, actor_kind) in ALLOWED
        assert (
            transition_allowed(from_status=from_status, to_status=to_status, actor_kind=actor_kind)
            is allowed
        )
        if allowed:
            application_transition(
                application=application,
                to_status=to_status,
                actor=user,
                actor_kind=actor_kind,
                reason="As the table says",
            )
            assert Application.objects.get(pk=application.pk).status == to_status
            change = StatusChange.objects.filter(application=application).latest("at", "pk")
            assert (change.from_status, change.to_status, change.actor) == (
                from_status,
                to_status,
                user,
            )
            entry = AuditEntry.objects.latest("sequence")
            assert entry.action == "application.status" and entry.actor == user
            assert entry.data == {"from": from_status, "to": to_status}
            assert AuditEntry.objects.count() == audited + 1
        else:
            with pytest.raises(TransitionError):
                application_transition(
                    application=application,
                    to_status=to_status,
                    actor=user,
                    actor_kind=actor_kind,
                    reason="Against the table",
                )
            assert Application.objects.get(pk=application.pk).status == from_status
            assert StatusChange.objects.filter(application=application).count() == history
            assert AuditEntry.objects.count() == audited
