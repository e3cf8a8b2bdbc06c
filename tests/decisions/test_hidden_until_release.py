"""Defect 2: a decision is invisible until its letter is released, and the membership an
acceptance grants starts on release, never on the decision."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus
from dashboards.scope import Scope
from dashboards.selectors import figures_compute
from decisions.enums import ProposalStatus
from decisions.models import Proposal
from networks.models import Membership
from tests.decisions.conftest import approve, decide, letter_of, release_action
from workflow.board import proposal_send_back

pytestmark = pytest.mark.django_db


def test_the_public_network_page_lists_no_institution_whose_acceptance_letter_is_a_draft(
    client, submitted, coordinator, coordinator_client, django_capture_on_commit_callbacks
):
    network_page = reverse("networks:detail", args=[submitted.call.network.slug])
    name = submitted.institution.name
    # Accepted from the workbench, as the coordinator does (with the guard overridden).
    coordinator_client.post(
        reverse("admin:applications_application_changelist"),
        {
            "action": "accept",
            "_selected_action": [submitted.pk],
            "confirm": "1",
            "reason": "Meets every criterion.",
            "override": "1",
            "override_reason": "The board meets early.",
        },
    )
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.ACCEPTED
    assert letter_of(submitted).is_draft
    assert name not in client.get(network_page).content.decode()
    assert not Membership.objects.filter(institution=submitted.institution).exists()

    approve(letter_of(submitted))  # approved by the board, letter still a draft
    assert name not in client.get(network_page).content.decode()
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        release_action(coordinator_client, [letter_of(submitted)])
    assert name in client.get(network_page).content.decode()
    membership = Membership.objects.current().get(institution=submitted.institution)
    assert membership.since == timezone.localdate()
    assert membership.tier == submitted.tier_requested


def test_a_draft_sent_back_by_the_board_grants_nothing_and_shows_nothing(
    client, submitted, coordinator, applicant
):
    decide(submitted, coordinator, ApplicationStatus.ACCEPTED, "Strong service.")
    proposal = Proposal.objects.get(application=submitted)
    from tests.decisions.conftest import board_member

    proposal_send_back(proposal=proposal, user=board_member(), reason="Rank it first.")
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.ELIGIBLE
    assert letter_of(submitted).status == "superseded"
    assert Proposal.objects.get().status == ProposalStatus.SENT_BACK
    assert not Membership.objects.exists()
    client.force_login(applicant)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "Strong service." not in page and "Rank it first." not in page
    assert "Accepted" not in page


def test_dashboards_count_a_withheld_decision_where_the_applicant_last_saw_it(
    submitted, coordinator
):
    decide(submitted, coordinator, ApplicationStatus.REJECTED)
    figures = figures_compute(scope=Scope(call=submitted.call))
    assert figures["status"].get(ApplicationStatus.REJECTED, 0) == 0
    assert figures["status"][ApplicationStatus.ELIGIBLE] == 1
