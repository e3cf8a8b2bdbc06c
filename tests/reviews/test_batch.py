"""Batch assignment of a call from the admin: computed in the background, previewed, applied."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.services.drafting import application_start
from applications.services.submission import application_submit
from audit.models import AuditEntry
from reviews.enums import AssignmentSource, AssignmentStatus, RoutingRunStatus
from reviews.models import Assignment, ReviewerProfile, RoutingRun
from reviews.services.batch import routing_run_start
from tests.applications.conftest import complete, person
from tests.factories import InstitutionFactory, NetworkFactory, UserFactory, staff_with_mfa
from workflow.reviewers import batch_assignment_apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def eligible_call(call, django_capture_on_commit_callbacks):
    """A call with three eligible applications and no reviewer yet."""
    call.reviews_per_application = 2
    call.save()
    for number in range(3):
        institution = InstitutionFactory(name=f"Hospital {number}", country="IT")
        user = person(f"rep{number}@hospital.example", institution)
        application = application_start(
            call=call, institution=institution, user=user, tier_requested="full_member"
        )
        complete(application, user)
        with django_capture_on_commit_callbacks(execute=True):
            application_submit(application=application, user=user)
    assert set(call.applications.values_list("status", flat=True)) == {ApplicationStatus.ELIGIBLE}
    return call


@pytest.fixture
def admin_client(client):
    client.force_login(staff_with_mfa(UserFactory(is_staff=True, is_superuser=True)))
    return client


def start_run(admin_client, call, capture):
    with capture(execute=True):
        response = admin_client.post(
            reverse("admin:calls_call_changelist"),
            {"action": "plan_reviewer_assignment", "_selected_action": [call.pk]},
        )
    run = RoutingRun.objects.get(call=call)
    assert response["Location"] == reverse("admin:reviews_routingrun_change", args=[run.pk])
    return run


def test_batch_assignment_is_previewed_then_applied_at_once(
    admin_client, eligible_call, django_capture_on_commit_callbacks
):
    conflicted = ReviewerProfile.objects.create(
        user=person("house@review.example"),
        country="FR",
        institution=eligible_call.applications.first().institution,
        languages=["en"],
    )
    for n in range(3):
        ReviewerProfile.objects.create(
            user=person(f"r{n}@review.example"), country="FR", default_capacity=2, languages=["en"]
        )

    run = start_run(admin_client, eligible_call, django_capture_on_commit_callbacks)

    run.refresh_from_db()
    assert run.status == RoutingRunStatus.PREVIEW
    assert run.progress == 100
    assert not Assignment.objects.exists()  # nothing changes before the coordinator applies
    page = admin_client.get(reverse("admin:reviews_routingrun_change", args=[run.pk]))
    text = page.content.decode()
    assert "Apply these assignments" in text
    assert "Load per reviewer" in text
    assert run.preview["assigned"] == 6

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:reviews_routingrun_apply", args=[run.pk]))

    assignments = Assignment.objects.all()
    assert assignments.count() == 6
    assert {a.source for a in assignments} == {AssignmentSource.BATCH}
    # Never on the application of the reviewer's own hospital; the others are fine.
    assert not assignments.filter(
        reviewer=conflicted, application__institution=conflicted.institution
    ).exists()
    for reviewer in ReviewerProfile.objects.exclude(pk=conflicted.pk):
        assert reviewer.assignments.count() <= 2
    assert set(eligible_call.applications.values_list("status", flat=True)) == {
        ApplicationStatus.IN_REVIEW
    }
    run.refresh_from_db()
    assert run.status == RoutingRunStatus.APPLIED

    again = admin_client.post(reverse("admin:reviews_routingrun_apply", args=[run.pk]), follow=True)
    assert "Only a computed preview can be applied." in again.content.decode()
    assert Assignment.objects.count() == 6


def test_a_preview_is_refused_once_the_call_has_changed(
    admin_client, eligible_call, django_capture_on_commit_callbacks
):
    reviewers = [
        ReviewerProfile.objects.create(
            user=person(f"r{n}@review.example"), country="FR", default_capacity=3, languages=["en"]
        )
        for n in range(2)
    ]
    run = start_run(admin_client, eligible_call, django_capture_on_commit_callbacks)
    ReviewerProfile.objects.filter(pk=reviewers[0].pk).update(default_capacity=0)

    response = admin_client.post(
        reverse("admin:reviews_routingrun_apply", args=[run.pk]), follow=True
    )

    assert "The call has changed since this preview was computed" in response.content.decode()
    assert not Assignment.objects.exists()


def test_unfillable_applications_are_listed_with_the_reason(
    admin_client, eligible_call, django_capture_on_commit_callbacks
):
    ReviewerProfile.objects.create(
        user=person("only@review.example"), country="FR", default_capacity=1, languages=["en"]
    )
    run = start_run(admin_client, eligible_call, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert len(run.preview["unfilled"]) == 3
    page = admin_client.get(reverse("admin:reviews_routingrun_change", args=[run.pk]))
    assert "Applications that cannot be filled" in page.content.decode()


def test_computing_a_batch_costs_the_same_queries_for_few_and_many_applications(
    eligible_call, count_queries, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    from reviews.services.batch import routing_run_compute

    for n in range(3):
        ReviewerProfile.objects.create(
            user=person(f"r{n}@review.example"), country="FR", default_capacity=9, languages=["en"]
        )
    creator = get_user_model().objects.first()

    def compute():
        run = RoutingRun.objects.create(call=eligible_call, created_by=creator)
        return routing_run_compute(run_id=run.pk)

    many, run = count_queries(compute)
    assert run.preview["applications"] == 3
    eligible_call.applications.exclude(
        pk=eligible_call.applications.order_by("pk").first().pk
    ).update(status=ApplicationStatus.WITHDRAWN)
    few, run = count_queries(compute)
    assert run.preview["applications"] == 1
    assert many == few


def coordinator_of(network):
    user = UserFactory()
    network.coordinators.add(user)
    return user


def three_reviewers():
    for n in range(3):
        ReviewerProfile.objects.create(
            user=person(f"r{n}@review.example"), country="FR", default_capacity=2, languages=["en"]
        )


def computed_run(call, user, capture):
    with capture(execute=True):
        run = routing_run_start(call=call, user=user)
    run.refresh_from_db()
    assert run.status == RoutingRunStatus.PREVIEW
    return run


def test_applying_a_batch_audits_each_assignment_in_the_coordinators_name(
    eligible_call, django_capture_on_commit_callbacks
):
    three_reviewers()
    coordinator = coordinator_of(eligible_call.network)
    run = computed_run(eligible_call, coordinator, django_capture_on_commit_callbacks)

    assert batch_assignment_apply(run=run, user=coordinator) == 6

    for assignment in Assignment.objects.all():
        [entry] = AuditEntry.objects.filter(
            object_type="reviews.assignment", object_id=str(assignment.pk)
        )
        assert (entry.action, entry.actor, entry.application_id) == (
            "assignment.created",
            coordinator,
            assignment.application_id,
        )
        assert entry.reason.startswith("Reviewers assigned by the batch assignment of ")
        assert entry.data["from"] is None and entry.data["to"] == AssignmentStatus.PROPOSED
        assert entry.data["source"] == AssignmentSource.BATCH


def test_only_a_coordinator_of_the_calls_network_may_start_a_batch(
    eligible_call, django_capture_on_commit_callbacks
):
    stranger = coordinator_of(NetworkFactory())
    with pytest.raises(PermissionDenied):
        routing_run_start(call=eligible_call, user=stranger)
    with pytest.raises(PermissionDenied):
        routing_run_start(call=eligible_call, user=UserFactory(is_staff=True))
    assert not RoutingRun.objects.exists()

    own = coordinator_of(eligible_call.network)
    administrator = UserFactory(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks():
        assert routing_run_start(call=eligible_call, user=own).created_by == own
        assert routing_run_start(call=eligible_call, user=administrator).created_by == (
            administrator
        )


def test_only_a_coordinator_of_the_calls_network_may_apply_a_batch(
    eligible_call, django_capture_on_commit_callbacks
):
    three_reviewers()
    own = coordinator_of(eligible_call.network)
    run = computed_run(eligible_call, own, django_capture_on_commit_callbacks)
    entries = AuditEntry.objects.count()

    for refused in (coordinator_of(NetworkFactory()), UserFactory(is_staff=True)):
        with pytest.raises(PermissionDenied):
            batch_assignment_apply(run=run, user=refused)
    run.refresh_from_db()
    assert run.status == RoutingRunStatus.PREVIEW
    assert not Assignment.objects.exists()
    assert AuditEntry.objects.count() == entries

    assert batch_assignment_apply(run=run, user=UserFactory(is_superuser=True)) == 6


def test_a_preview_with_no_new_assignment_offers_nothing_to_apply(
    admin_client, eligible_call, django_capture_on_commit_callbacks
):
    # No reviewer in the pool: nothing can be assigned.
    run = start_run(admin_client, eligible_call, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.status == RoutingRunStatus.PREVIEW and run.preview["assigned"] == 0
    url = reverse("admin:reviews_routingrun_change", args=[run.pk])
    text = admin_client.get(url).content.decode()
    assert "Apply these assignments" not in text
    assert "there is nothing to apply" in text
    page = admin_client.post(
        reverse("admin:reviews_routingrun_apply", args=[run.pk]), follow=True
    ).content.decode()
    assert "there is nothing to apply" in page
    run.refresh_from_db()
    assert run.status == RoutingRunStatus.PREVIEW
