"""The assignments' admin only reads: nobody, administrators included, adds, changes or deletes
an assignment through it, so no assignment skips the conflict of interest and capacity checks,
the audit trail and the reviewer's email. It points to the workbench, where they are made."""

import pytest
from django.urls import reverse

from reviews.models import Assignment, ConflictDeclaration, ReviewerCapacity
from tests.admin.coordinator_worlds import coordinator_of, database_state, network_world
from tests.factories import ReviewerProfileFactory, UserFactory, staff_with_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return network_world("omics", "A")


@pytest.fixture(params=["coordinator", "administrator"])
def admin_client(request, client, world):
    if request.param == "coordinator":
        client.force_login(coordinator_of(world.network))
    else:
        client.force_login(staff_with_mfa(UserFactory(is_staff=True, is_superuser=True)))
    return client


@pytest.fixture
def unfit_reviewers(world):
    """Two of the network's reviewers: one in conflict with the applicant, one with no room."""
    application = world.assignment.application
    application.status = "in_review"
    application.save(update_fields=["status"])
    in_conflict = ReviewerProfileFactory()
    ConflictDeclaration.objects.create(
        reviewer=in_conflict, institution=application.institution, reason="My employer"
    )
    full = ReviewerProfileFactory()
    ReviewerCapacity.objects.create(reviewer=full, call=application.call, capacity=0)
    for reviewer in (in_conflict, full):
        reviewer.networks.add(world.network)
    return in_conflict, full


def assignment_form(application, reviewer, **overrides):
    return {
        "application": application.pk,
        "reviewer": reviewer.pk,
        "status": "accepted",
        "source": "coordinator",
        "affinity": "1",
        "no_conflict_declared_at_0": "2026-01-01",
        "no_conflict_declared_at_1": "10:00",
        **overrides,
    }


def test_no_assignment_is_added_through_the_admin(admin_client, world, unfit_reviewers):
    application = world.assignment.application
    before = database_state()

    assert admin_client.get(reverse("admin:reviews_assignment_add")).status_code == 403
    for reviewer in unfit_reviewers:
        response = admin_client.post(
            reverse("admin:reviews_assignment_add"), assignment_form(application, reviewer)
        )
        assert response.status_code == 403

    assert database_state() == before
    assert not Assignment.objects.filter(reviewer__in=unfit_reviewers).exists()


def test_an_assignment_is_read_not_changed_through_the_admin(admin_client, world, unfit_reviewers):
    assignment = world.assignment
    url = reverse("admin:reviews_assignment_change", args=[assignment.pk])
    before = database_state()

    page = admin_client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="_save"' not in content
    assert "Assign or replace a reviewer" in content
    workbench = reverse(
        "admin:applications_application_reviewers", args=[assignment.application_id]
    )
    assert workbench in content
    for reviewer in unfit_reviewers:
        response = admin_client.post(url, assignment_form(assignment.application, reviewer))
        assert response.status_code == 403
    response = admin_client.post(url, {"status": "withdrawn"})
    assert response.status_code == 403

    assert database_state() == before


def test_an_assignment_is_not_deleted_through_the_admin(admin_client, world):
    assignment = world.assignment
    url = reverse("admin:reviews_assignment_delete", args=[assignment.pk])
    changelist = reverse("admin:reviews_assignment_changelist")
    before = database_state()

    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    page = admin_client.get(changelist)
    assert page.context["action_form"] is None  # no bulk delete either
    admin_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [assignment.pk], "post": "yes"},
    )

    assert database_state() == before


def test_the_list_points_to_the_workbench_where_the_checks_are_made(
    admin_client, world, unfit_reviewers
):
    page = admin_client.get(reverse("admin:reviews_assignment_changelist")).content.decode()
    workbench = reverse(
        "admin:applications_application_reviewers", args=[world.assignment.application_id]
    )
    assert workbench in page
    assert "Assign or replace a reviewer" in page

    # There, a reviewer in conflict is not offered (one without room is, with "0 free"), and
    # both are refused when sent.
    in_conflict, _full = unfit_reviewers
    choosing = admin_client.get(workbench)
    offered = {pk for pk, _label in choosing.context["form"].fields["reviewer"].choices}
    assert in_conflict.pk not in offered
    for reviewer in unfit_reviewers:
        response = admin_client.post(workbench, {"reviewer": reviewer.pk, "reason": "Expertise"})
        assert response.status_code == 200
        assert "reviewer" in response.context["form"].errors
    assert not Assignment.objects.filter(reviewer__in=unfit_reviewers).exists()
