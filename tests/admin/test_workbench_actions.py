"""Coordinators rule on applications from the admin's actions, through the transition service."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from applications.enums import ApplicationStatus
from applications.services.submission import application_submit
from networks.models import Membership
from tests.applications.conftest import applicant, call, complete, draft, institution  # noqa: F401
from tests.factories import UserFactory, staff_with_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client, call):  # noqa: F811
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    call.network.coordinators.add(coordinator)
    client.force_login(staff_with_mfa(coordinator))
    return client


@pytest.fixture
def submitted(draft, applicant, django_capture_on_commit_callbacks):  # noqa: F811
    complete(draft, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=draft, user=applicant)
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.ELIGIBLE
    return draft


def act(client, action, application, **extra):
    return client.post(
        reverse("admin:applications_application_changelist"),
        {"action": action, "_selected_action": [application.pk], **extra},
        follow=True,
    )


def test_marking_ineligible_asks_for_the_reason_then_records_it(coordinator_client, submitted):
    asked = act(coordinator_client, "mark_ineligible", submitted)
    assert "Reason (recorded in the audit trail" in asked.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.ELIGIBLE  # nothing yet

    act(coordinator_client, "mark_ineligible", submitted, confirm="1", reason="")
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.ELIGIBLE  # a reason is required

    act(coordinator_client, "mark_ineligible", submitted, confirm="1", reason="No endorsement.")
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.INELIGIBLE
    assert submitted.status_changes.last().reason == "No endorsement."


def test_accepting_makes_the_institution_a_member_and_is_audited(coordinator_client, submitted):
    from audit.models import AuditEntry

    response = act(
        coordinator_client, "accept", submitted, confirm="1", reason="Meets every criterion."
    )
    assert "1 application updated." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.ACCEPTED
    membership = Membership.objects.current().get(
        institution=submitted.institution, network=submitted.call.network
    )
    assert membership.tier == submitted.tier_requested
    entry = AuditEntry.objects.filter(application=submitted).order_by("sequence").last()
    assert entry.action == "application.status"
    assert entry.data == {"from": "eligible", "to": "accepted"}
    assert entry.reason == "Meets every criterion."


def test_a_decision_the_table_does_not_allow_is_refused_with_a_message(
    coordinator_client, submitted
):
    act(coordinator_client, "reject", submitted, confirm="1", reason="Not enough volume.")
    response = act(coordinator_client, "accept", submitted, confirm="1", reason="Changed my mind")
    assert "cannot become" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.REJECTED
