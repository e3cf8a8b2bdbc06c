"""Coordinators rule on applications from the admin's actions, through the transition service."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from applications.enums import ApplicationStatus
from applications.services.submission import application_submit
from decisions.enums import ProposalStatus
from decisions.models import Proposal
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


OVERRIDE = {"override": "1", "override_reason": "The board meets before the deadline."}


def test_accepting_proposes_it_to_the_board_and_makes_no_member_yet(coordinator_client, submitted):
    from audit.models import AuditEntry

    response = act(
        coordinator_client,
        "accept",
        submitted,
        confirm="1",
        reason="Meets every criterion.",
        **OVERRIDE,
    )
    assert "1 application updated." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.ACCEPTED
    proposal = Proposal.objects.get(application=submitted)
    assert proposal.status == ProposalStatus.PROPOSED
    # The membership starts when the approved decision's letter is released, not now.
    assert not Membership.objects.filter(institution=submitted.institution).exists()
    status = AuditEntry.objects.get(
        application=submitted, action="application.status", reason="Meets every criterion."
    )
    assert status.data == {"from": "eligible", "to": "accepted"}
    assert AuditEntry.objects.filter(application=submitted, action="proposal.proposed").exists()


def test_deciding_before_the_reviews_and_the_deadline_needs_an_override_with_a_reason(
    coordinator_client, submitted
):
    """Defect 5: a rejection with 0 of the reviews in, before the deadline, went through."""
    from audit.models import AuditEntry

    refused = act(coordinator_client, "reject", submitted, confirm="1", reason="Too small.")
    page = refused.content.decode()
    expected = submitted.call.reviews_per_application
    assert f"Only 0 of the {expected} reviews are in." in page
    assert "has not passed" in page
    assert "Deciding now is premature: tick to decide anyway" in page
    assert ">Too small.</textarea>" in page  # what was typed is kept
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.ELIGIBLE

    no_reason = act(
        coordinator_client, "reject", submitted, confirm="1", reason="Too small.", override="1"
    )
    assert "Give the reason for deciding before time." in no_reason.content.decode()
    assert 'id="id_override" value="1" checked' in no_reason.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.ELIGIBLE

    act(coordinator_client, "reject", submitted, confirm="1", reason="Too small.", **OVERRIDE)
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.REJECTED
    proposal = Proposal.objects.get(application=submitted)
    assert proposal.overridden == ["reviews_missing", "before_deadline"]
    assert proposal.override_reason == OVERRIDE["override_reason"]
    entry = AuditEntry.objects.get(action="proposal.proposed")
    assert entry.data["overridden"] == ["reviews_missing", "before_deadline"]
    assert entry.data["override_reason"] == OVERRIDE["override_reason"]
    dossier = coordinator_client.get(
        reverse("admin:applications_application_change", args=[submitted.pk])
    ).content.decode()
    assert "Decided before time, overriding:" in dossier
    assert OVERRIDE["override_reason"] in dossier


def test_a_decision_the_table_does_not_allow_is_refused_with_a_message(
    coordinator_client, submitted
):
    act(
        coordinator_client,
        "reject",
        submitted,
        confirm="1",
        reason="Not enough volume.",
        **OVERRIDE,
    )
    response = act(
        coordinator_client, "accept", submitted, confirm="1", reason="Changed my mind", **OVERRIDE
    )
    assert "cannot become" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.REJECTED


def test_a_coordinator_records_the_networks_opinion_in_the_workbench(coordinator_client, submitted):
    from decisions.models import Opinion

    url = reverse("admin:applications_application_opinion", args=[submitted.pk])
    redirect = act(coordinator_client, "record_opinion", submitted)
    assert redirect.redirect_chain[-1][0] == url
    missing = coordinator_client.post(url, {"favourable": "no", "reasons": ""})
    assert missing.status_code == 200
    page = missing.content.decode()
    assert "This field is required." in page
    assert re.search(r'<input[^>]*value="no"[^>]*checked', page)  # what was chosen is kept
    coordinator_client.post(url, {"favourable": "no", "reasons": "Too few cases a year."})
    opinion = Opinion.objects.get(application=submitted)
    assert not opinion.favourable and opinion.reasons == "Too few cases a year."
    dossier = coordinator_client.get(
        reverse("admin:applications_application_change", args=[submitted.pk])
    ).content.decode()
    assert "Unfavourable" in dossier and "Too few cases a year." in dossier


def test_a_coordinator_of_another_network_cannot_give_the_opinion(submitted):
    from django.core.exceptions import PermissionDenied

    from decisions.services.opinions import opinion_give
    from tests.decisions.conftest import coordinator_of
    from tests.factories import CallFactory

    other = coordinator_of(CallFactory().network, "other@network.example")
    with pytest.raises(PermissionDenied):
        opinion_give(application=submitted, user=other, favourable=True, reasons="Why not.")
