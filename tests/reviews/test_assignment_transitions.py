"""An assignment's transition table, walked pair by pair and actor by actor, and the services that
change assignments each leaving one audit entry per assignment."""

import itertools

import pytest
from django.core.exceptions import ValidationError

from applications.enums import ApplicationStatus
from audit.models import AuditEntry
from reviews.enums import AssignmentActor, AssignmentSource, AssignmentStatus
from reviews.models import Assignment
from reviews.services.assignments import assignment_accept, assignment_choose, assignment_decline
from reviews.services.transitions import (
    TRANSITIONS,
    TransitionError,
    assignment_create,
    assignment_transition,
    transition_allowed,
)
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    ReviewerProfileFactory,
    UserFactory,
)
from tests.reviews.reviewers import reviewer, submit
from workflow.review import application_reopen, application_rule_ineligible, application_withdraw

pytestmark = pytest.mark.django_db

S = AssignmentStatus
A = AssignmentActor
# The table as the process says it, written out again so that changing it is a decision.
ALLOWED = {
    (None, S.PROPOSED, A.SYSTEM),
    (None, S.PROPOSED, A.COORDINATOR),
    (S.PROPOSED, S.ACCEPTED, A.REVIEWER),
    (S.PROPOSED, S.DECLINED, A.REVIEWER),
    (S.ACCEPTED, S.DECLINED, A.REVIEWER),
    (S.PROPOSED, S.WITHDRAWN, A.COORDINATOR),
    (S.PROPOSED, S.WITHDRAWN, A.SYSTEM),
    (S.ACCEPTED, S.WITHDRAWN, A.COORDINATOR),
    (S.ACCEPTED, S.WITHDRAWN, A.SYSTEM),
    # Paused while the applicant reopens the application, resumed on resubmission.
    (S.PROPOSED, S.PAUSED, A.SYSTEM),
    (S.ACCEPTED, S.PAUSED, A.SYSTEM),
    (S.PAUSED, S.PROPOSED, A.SYSTEM),
    (S.PAUSED, S.DECLINED, A.REVIEWER),
    (S.PAUSED, S.WITHDRAWN, A.SYSTEM),
}
EVERY_CHANGE = list(itertools.product(S, S, A))
EVERY_CREATION = list(itertools.product(S, A))


def trail(assignment):
    return list(
        AuditEntry.objects.filter(object_type="reviews.assignment", object_id=str(assignment.pk))
        .order_by("sequence")
        .values_list("action", "actor", "reason", "data")
    )


def test_the_table_is_the_one_the_process_describes():
    assert {
        (from_status, to_status, actor)
        for (from_status, to_status), actors in TRANSITIONS.items()
        for actor in actors
    } == ALLOWED
    for from_status, to_status, actor_kind in itertools.product([None, *S], S, A):
        assert transition_allowed(
            from_status=from_status, to_status=to_status, actor_kind=actor_kind
        ) == ((from_status, to_status, actor_kind) in ALLOWED)


def test_the_table_knows_only_real_statuses_and_begins_every_assignment_proposed():
    for (from_status, to_status), actors in TRANSITIONS.items():
        assert from_status is None or from_status in S.values
        assert to_status in S.values and from_status != to_status
        assert actors and actors <= set(AssignmentActor)
    assert {to for (start, to) in TRANSITIONS if start is None} == {S.PROPOSED}
    # Declined and withdrawn are final: nobody takes an assignment back from them.
    assert not [pair for pair in TRANSITIONS if pair[0] in (S.DECLINED, S.WITHDRAWN)]


@pytest.mark.parametrize(
    ("from_status", "to_status", "actor_kind"),
    EVERY_CHANGE,
    ids=[f"{a}-{b}-{c}" for a, b, c in EVERY_CHANGE],
)
def test_every_change_is_made_and_audited_exactly_as_the_table_says(
    from_status, to_status, actor_kind
):
    assignment = AssignmentFactory(status=from_status)
    user = UserFactory()
    before = trail(assignment)

    if (from_status, to_status, actor_kind) in ALLOWED:
        changed = assignment_transition(
            assignment=assignment,
            to_status=to_status,
            actor=user,
            actor_kind=actor_kind,
            reason="Why not",
        )
        assert changed is assignment and assignment.status == to_status
        assert Assignment.objects.get(pk=assignment.pk).status == to_status
        assert trail(assignment) == [
            *before,
            ("assignment.status", user.pk, "Why not", {"from": from_status, "to": to_status}),
        ]
    else:
        with pytest.raises(TransitionError):
            assignment_transition(
                assignment=assignment,
                to_status=to_status,
                actor=user,
                actor_kind=actor_kind,
                reason="Why not",
            )
        assert assignment.status == from_status
        assert Assignment.objects.get(pk=assignment.pk).status == from_status
        assert trail(assignment) == before


@pytest.mark.parametrize(
    ("to_status", "actor_kind"), EVERY_CREATION, ids=[f"new-{b}-{c}" for b, c in EVERY_CREATION]
)
def test_every_creation_is_made_and_audited_exactly_as_the_table_says(to_status, actor_kind):
    application = ApplicationFactory()
    profile = ReviewerProfileFactory()
    user = UserFactory()
    allowed = (None, to_status, actor_kind) in ALLOWED
    if to_status != S.PROPOSED:
        # assignment_create makes only proposed assignments; the table refuses any other start.
        assert not transition_allowed(from_status=None, to_status=to_status, actor_kind=actor_kind)
        return
    entries = AuditEntry.objects.count()

    def create():
        return assignment_create(
            application_id=application.pk,
            reviewer_id=profile.pk,
            source=AssignmentSource.COORDINATOR,
            affinity=0.5,
            due_at=None,
            actor=user,
            actor_kind=actor_kind,
            reason="Knows the field",
        )

    if allowed:
        assignment = create()
        assert Assignment.objects.get(pk=assignment.pk).status == S.PROPOSED
        [(action, actor, reason, data)] = trail(assignment)
        assert (action, actor, reason) == ("assignment.created", user.pk, "Knows the field")
        assert data["from"] is None and data["to"] == S.PROPOSED
        assert data["reviewer"] == profile.pk and data["source"] == AssignmentSource.COORDINATOR
    else:
        with pytest.raises(TransitionError):
            create()
        assert not Assignment.objects.exists()
        assert AuditEntry.objects.count() == entries


def test_a_transition_refused_by_the_table_is_a_validation_error():
    # Views and the admin show ValidationErrors to the user; a refusal must be one of them.
    assert issubclass(TransitionError, ValidationError)


@pytest.fixture
def routed_to_two(draft, applicant, call, django_capture_on_commit_callbacks):
    """A submitted application in review, routed to two reviewers."""
    call.reviews_per_application = 2
    call.save()
    reviewer("ada@review.example")
    reviewer("ben@review.example")
    return submit(draft, applicant, django_capture_on_commit_callbacks)


def assignment_of(application, email):
    return Assignment.objects.get(application=application, reviewer__user__email=email)


def test_routing_audits_each_assignment_it_makes(routed_to_two):
    assignments = list(routed_to_two.assignments.all())
    assert len(assignments) == 2
    for assignment in assignments:
        [(action, actor, _reason, data)] = trail(assignment)
        assert (action, actor) == ("assignment.created", None)
        assert data["from"] is None and data["to"] == S.PROPOSED
        assert data["source"] == AssignmentSource.ROUTER


def test_accepting_is_audited(routed_to_two):
    assignment = assignment_of(routed_to_two, "ada@review.example")
    ada = assignment.reviewer.user

    assignment_accept(assignment=assignment, user=ada, no_conflict=True)

    assert trail(assignment)[1:] == [
        ("assignment.status", ada.pk, "", {"from": S.PROPOSED, "to": S.ACCEPTED})
    ]


def test_accepting_twice_is_refused_with_the_reviewers_message_and_not_audited(routed_to_two):
    assignment = assignment_of(routed_to_two, "ada@review.example")
    ada = assignment.reviewer.user
    assignment_accept(assignment=assignment, user=ada, no_conflict=True)
    before = trail(assignment)

    with pytest.raises(ValidationError, match="no longer waiting for your reply"):
        assignment_accept(assignment=assignment, user=ada, no_conflict=True)

    assert trail(assignment) == before


def test_declining_is_audited_with_the_reason(routed_to_two):
    assignment = assignment_of(routed_to_two, "ben@review.example")
    ben = assignment.reviewer.user

    assignment_decline(assignment=assignment, user=ben, reason="On leave", conflict=True)

    assert trail(assignment)[1:] == [
        (
            "assignment.status",
            ben.pk,
            "On leave",
            {"from": S.PROPOSED, "to": S.DECLINED, "conflict": True},
        )
    ]


def test_replacing_a_reviewer_audits_the_withdrawal_and_the_new_assignment(routed_to_two, call):
    replaced = assignment_of(routed_to_two, "ada@review.example")
    assignment_accept(assignment=replaced, user=replaced.reviewer.user, no_conflict=True)
    chosen = reviewer("cleo@review.example")
    coordinator = UserFactory()
    call.network.coordinators.add(coordinator)

    new = assignment_choose(
        application=routed_to_two,
        reviewer=chosen,
        user=coordinator,
        reason="Ada is away",
        replacing=replaced,
    )

    replaced.refresh_from_db()
    assert replaced.status == S.WITHDRAWN
    assert trail(replaced)[-1] == (
        "assignment.status",
        coordinator.pk,
        "Ada is away",
        {
            "from": S.ACCEPTED,
            "to": S.WITHDRAWN,
            "reviewer": replaced.reviewer_id,
            "replaced_by": chosen.pk,
        },
    )
    [(action, actor, reason, data)] = trail(new)
    assert (action, actor, reason) == ("assignment.created", coordinator.pk, "Ada is away")
    assert data["source"] == AssignmentSource.COORDINATOR


@pytest.mark.parametrize("leave", ["reopen", "withdraw", "rule_ineligible"])
def test_leaving_review_pauses_or_withdraws_each_open_assignment_with_its_own_audit_entry(
    leave, routed_to_two, applicant, call
):
    accepted = assignment_of(routed_to_two, "ada@review.example")
    assignment_accept(assignment=accepted, user=accepted.reviewer.user, no_conflict=True)
    proposed = assignment_of(routed_to_two, "ben@review.example")
    if leave == "reopen":
        user, reason = applicant, "Reopened by the applicant to make changes."
        application_reopen(application=routed_to_two, user=user)
        expected_status = ApplicationStatus.DRAFT
        ended = S.PAUSED
    elif leave == "withdraw":
        user, reason = applicant, "We merge with another hospital"
        application_withdraw(application=routed_to_two, user=user, reason=reason)
        expected_status = ApplicationStatus.WITHDRAWN
        ended = S.WITHDRAWN
    else:
        user, reason = UserFactory(), "No national endorsement"
        call.network.coordinators.add(user)
        application_rule_ineligible(application=routed_to_two, user=user, reason=reason)
        expected_status = ApplicationStatus.INELIGIBLE
        ended = S.WITHDRAWN

    routed_to_two.refresh_from_db()
    assert routed_to_two.status == expected_status
    for assignment, was in ((accepted, S.ACCEPTED), (proposed, S.PROPOSED)):
        assignment.refresh_from_db()
        assert assignment.status == ended
        assert trail(assignment)[-1] == (
            "assignment.status",
            user.pk,
            reason,
            {"from": was, "to": ended}
            | ({"application_status": expected_status} if ended == S.WITHDRAWN else {}),
        )
        assert [entry[0] for entry in trail(assignment)].count("assignment.status") == (
            2 if was == S.ACCEPTED else 1
        )


def test_an_assignment_already_ended_is_left_alone_when_the_application_leaves_review(
    routed_to_two, applicant
):
    declined = assignment_of(routed_to_two, "ada@review.example")
    assignment_decline(assignment=declined, user=declined.reviewer.user, reason="On leave")
    before = trail(declined)

    application_reopen(application=routed_to_two, user=applicant)

    declined.refresh_from_db()
    assert declined.status == S.DECLINED
    assert trail(declined) == before
