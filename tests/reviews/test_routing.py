"""Routing on submission, on a decline, and after a lost task, against the real database."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.enums import InstitutionRole
from applications.enums import ApplicationStatus
from applications.services.drafting import application_start
from applications.services.submission import application_submit
from outbox.enums import OutboxStatus
from outbox.models import OutboxItem
from outbox.relay import outbox_sweep
from reviews.enums import AssignmentStatus
from reviews.models import Assignment, ConflictDeclaration, ReviewerProfile, RoutingEvent
from reviews.services.assignments import assignment_accept, assignment_decline
from tests.applications.conftest import complete, person
from tests.factories import InstitutionFactory
from tests.reviews.reviewers import reviewer, submit
from workflow.review import application_reopen, application_withdraw
from workflow.routing import application_route

pytestmark = pytest.mark.django_db


def test_submission_routes_to_the_calls_number_of_best_matching_reviewers(
    draft, applicant, call, django_capture_on_commit_callbacks
):
    call.reviews_per_application = 2
    call.save()
    specialist = reviewer("spec@review.example", networks=[call.network])
    second = reviewer("second@review.example", networks=[call.network])
    generalist = reviewer("gen@review.example")

    submit(draft, applicant, django_capture_on_commit_callbacks)

    assert draft.status == ApplicationStatus.IN_REVIEW
    assert draft.awaiting_routing_since is None
    assigned = set(draft.assignments.values_list("reviewer", flat=True))
    assert assigned == {specialist.pk, second.pk}
    assert generalist.pk not in assigned
    invited = {m.to[0] for m in mail.outbox if "review an application" in m.subject}
    assert invited == {"spec@review.example", "second@review.example"}
    assert all(a.due_at > timezone.now() for a in draft.assignments.all())


def test_routing_never_assigns_a_conflicted_reviewer(
    draft, applicant, call, institution, django_capture_on_commit_callbacks
):
    call.reviews_per_application = 5
    call.exclude_same_country_reviewers = True
    call.save()
    unit = InstitutionFactory(name="Unit of the same hospital", parent=institution, country="IT")
    colleague = person("collega@ospedale.example", institution, InstitutionRole.CONTRIBUTOR)
    reviewer("same@review.example", institution=institution)
    reviewer("unit@review.example", institution=unit)
    reviewer("italian@review.example", country="IT")
    ReviewerProfile.objects.create(user=colleague, country="FR", languages=["en"])
    declared = reviewer("declared@review.example")
    ConflictDeclaration.objects.create(
        reviewer=declared, institution=institution, reason="Former employer"
    )
    free = reviewer("free@review.example")

    submit(draft, applicant, django_capture_on_commit_callbacks)

    assert set(draft.assignments.values_list("reviewer", flat=True)) == {free.pk}
    event = RoutingEvent.objects.filter(application=draft).last()
    assert "4 places still open" in event.message
    assert draft.awaiting_routing_since is not None  # the sweep will try again


def test_routing_never_goes_above_a_reviewers_capacity(
    call, applicant, institution, django_capture_on_commit_callbacks
):
    call.reviews_per_application = 1
    call.save()
    only = reviewer("only@review.example", capacity=1)
    first = application_start(
        call=call, institution=institution, user=applicant, tier_requested="full_member"
    )
    submit(first, applicant, django_capture_on_commit_callbacks)
    other_institution = InstitutionFactory(name="Second hospital", country="IT")
    other_applicant = person("second@hospital.example", other_institution)
    second = application_start(
        call=call, institution=other_institution, user=other_applicant, tier_requested="full_member"
    )
    submit(second, other_applicant, django_capture_on_commit_callbacks)

    assert Assignment.objects.filter(reviewer=only).count() == 1
    assert second.assignments.count() == 0
    assert "capacity" in RoutingEvent.objects.filter(application=second).last().message


def test_routing_twice_makes_no_second_assignment(
    draft, applicant, call, django_capture_on_commit_callbacks
):
    reviewer("one@review.example")
    submit(draft, applicant, django_capture_on_commit_callbacks)
    before = list(draft.assignments.values_list("reviewer", flat=True))
    application_route(application_id=draft.pk)
    application_route(application_id=draft.pk)
    assert list(draft.assignments.values_list("reviewer", flat=True)) == before


def test_a_decline_routes_to_the_next_best_reviewer(
    draft, applicant, call, django_capture_on_commit_callbacks
):
    call.reviews_per_application = 1
    call.save()
    best = reviewer("best@review.example", networks=[call.network])
    next_best = reviewer("next@review.example")
    submit(draft, applicant, django_capture_on_commit_callbacks)
    assignment = draft.assignments.get()
    assert assignment.reviewer == best

    with django_capture_on_commit_callbacks(execute=True):
        assignment_decline(assignment=assignment, user=best.user, reason="On leave")

    active = draft.assignments.exclude(status=AssignmentStatus.DECLINED).get()
    assert active.reviewer == next_best


def test_declining_for_a_conflict_records_it_for_the_institution(
    draft, applicant, call, django_capture_on_commit_callbacks
):
    only = reviewer("only@review.example")
    submit(draft, applicant, django_capture_on_commit_callbacks)
    assignment_decline(
        assignment=draft.assignments.get(),
        user=only.user,
        reason="I consult for them",
        conflict=True,
    )
    assert ConflictDeclaration.objects.filter(reviewer=only, institution=draft.institution).exists()


def test_accepting_requires_declaring_no_conflict(
    draft, applicant, call, django_capture_on_commit_callbacks
):
    one = reviewer("one@review.example")
    submit(draft, applicant, django_capture_on_commit_callbacks)
    assignment = draft.assignments.get()
    with pytest.raises(ValidationError):
        assignment_accept(assignment=assignment, user=one.user, no_conflict=False)
    accepted = assignment_accept(assignment=assignment, user=one.user, no_conflict=True)
    assert accepted.status == AssignmentStatus.ACCEPTED
    assert accepted.no_conflict_declared_at is not None


def test_reopening_pauses_open_assignments(
    draft, applicant, call, django_capture_on_commit_callbacks
):
    reviewer("one@review.example")
    submit(draft, applicant, django_capture_on_commit_callbacks)
    application_reopen(application=draft, user=applicant)
    assert set(draft.assignments.values_list("status", flat=True)) == {AssignmentStatus.PAUSED}


def test_the_sweep_routes_an_application_whose_kick_was_lost(draft, applicant, call):
    complete(draft, applicant)
    application_submit(application=draft, user=applicant)  # its on-commit kick never runs
    draft.refresh_from_db()
    assert draft.awaiting_routing_since is not None
    reviewer("late@review.example")

    outbox_sweep()

    draft.refresh_from_db()
    assert draft.assignments.count() == 1
    assert draft.status == ApplicationStatus.IN_REVIEW


def test_an_application_short_of_reviewers_is_tried_again_later_with_one_event_per_change(
    settings, draft, applicant, call, django_capture_on_commit_callbacks
):
    settings.OUTBOX_BACKOFF_BASE = 0  # every retry due at once, so the sweep below takes it
    call.reviews_per_application = 2
    call.save()
    reviewer("first@review.example")
    submit(draft, applicant, django_capture_on_commit_callbacks)
    route = OutboxItem.objects.get(kind="applications.route")
    assert route.status == OutboxStatus.PENDING  # one place still open
    assert draft.assignments.count() == 1
    outbox_sweep()  # the reason changes: nobody left, now that the one reviewer is assigned
    messages = list(draft.routing_events.values_list("message", flat=True))
    assert len(messages) == 2 and "no reviewer" in messages[1]
    for _ in range(3):
        outbox_sweep()
    route.refresh_from_db()
    assert route.attempts == 5 and route.status == OutboxStatus.PENDING
    assert draft.routing_events.count() == 2  # the same shortfall, told once

    settings.OUTBOX_BACKOFF_BASE = 30
    outbox_sweep()
    route.refresh_from_db()
    waits = route.available_at - timezone.now()
    assert waits > datetime.timedelta(seconds=30 * 2**4)  # doubling from 30 s: the 6th wait

    reviewer("second@review.example")
    OutboxItem.objects.filter(pk=route.pk).update(available_at=timezone.now())
    outbox_sweep()
    route.refresh_from_db()
    assert route.status == OutboxStatus.DONE
    assert draft.assignments.count() == 2
    assert draft.routing_events.count() == 3
    draft.refresh_from_db()
    assert draft.awaiting_routing_since is None


def test_reviewers_are_reminded_once_before_their_review_is_due(
    draft, applicant, call, django_capture_on_commit_callbacks
):
    from reviews.tasks import review_reminders_task

    soon = reviewer("soon@review.example")
    submit(draft, applicant, django_capture_on_commit_callbacks)
    assignment = draft.assignments.get(reviewer=soon)
    mail.outbox.clear()
    assert review_reminders_task() == 0  # due in three weeks: not yet

    Assignment.objects.filter(pk=assignment.pk).update(
        due_at=timezone.now() + datetime.timedelta(days=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert review_reminders_task() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert review_reminders_task() == 0  # once only
    [reminder] = mail.outbox
    assert reminder.to == ["soon@review.example"]
    assert "due soon" in reminder.subject


def test_ruling_an_application_ineligible_withdraws_its_open_assignments(
    draft, applicant, call, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory
    from workflow.review import application_rule_ineligible

    reviewer("one@review.example")
    submit(draft, applicant, django_capture_on_commit_callbacks)
    coordinator = UserFactory(is_staff=True)
    with pytest.raises(PermissionDenied):
        application_rule_ineligible(application=draft, user=coordinator, reason="Not ours")
    call.network.coordinators.add(coordinator)
    with pytest.raises(ValidationError):
        application_rule_ineligible(application=draft, user=coordinator, reason=" ")
    application_rule_ineligible(
        application=draft, user=coordinator, reason="No national endorsement from a ministry."
    )
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.INELIGIBLE
    assert set(draft.assignments.values_list("status", flat=True)) == {AssignmentStatus.WITHDRAWN}
    assert draft.status_changes.last().reason == "No national endorsement from a ministry."


def test_reviewers_are_told_when_the_portal_ends_their_assignment(
    draft, applicant, call, django_capture_on_commit_callbacks
):
    reviewer("one@review.example")
    submit(draft, applicant, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        application_withdraw(application=draft, user=applicant, reason="Merging with another")

    [ended] = mail.outbox
    assert ended.to == ["one@review.example"]
    assert "has ended" in ended.subject
    assert "The applicant withdrew the application." in ended.body
    assert "Merging with another" in ended.body
