"""The decision board on its own pages: approves or sends back proposals, in bulk, recording who
and when; settles referrals; only approved decisions' letters are released. And the network's
opinion, which a call may require for acceptance."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus
from audit.models import AuditEntry
from decisions.enums import LetterStatus, ProposalStatus
from decisions.models import CallDecisionRules, Opinion, Proposal
from decisions.services.letters import letter_release
from decisions.services.opinions import opinion_give
from networks.models import Membership
from tests.board.conftest import proposed
from tests.decisions.conftest import decide, letter_of, release_action

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def board_url(call):
    return reverse("board:call", args=[call.pk])


def test_the_board_approves_proposals_in_bulk_then_the_letters_can_be_released(
    call, coordinator, coordinator_client, member, member_client, django_capture_on_commit_callbacks
):
    first = proposed(call, "Ospedale di Pisa", proposer=coordinator)
    second = proposed(call, "Hospital de Braga", S.REJECTED, proposer=coordinator, country="PT")
    page = member_client.get(board_url(call)).content.decode()
    assert "Ospedale di Pisa" in page and "Hospital de Braga" in page
    assert "composition" in page and "The ranking" in page

    with pytest.raises(ValidationError, match="has not approved"):
        letter_release(letter=letter_of(first), user=coordinator)

    ids = [p.pk for p in Proposal.objects.all()]
    response = member_client.post(
        board_url(call), {"proposals": ids, "action": "approve"}, follow=True
    )
    assert "2 proposals approved." in response.content.decode()
    for proposal in Proposal.objects.all():
        assert proposal.status == ProposalStatus.APPROVED
        assert proposal.board_by == member
        assert proposal.board_at is not None
    assert AuditEntry.objects.filter(action="proposal.approved", actor=member).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        release_action(coordinator_client, [letter_of(first), letter_of(second)], approved=False)
    assert letter_of(first).status != LetterStatus.DRAFT
    assert Membership.objects.current().filter(institution=first.institution).exists()
    assert not Membership.objects.filter(institution=second.institution).exists()


def test_the_release_page_says_why_an_unapproved_letter_is_not_released(
    call, coordinator, coordinator_client
):
    application = proposed(call, "Ospedale di Pisa", proposer=coordinator)
    asked = release_action(coordinator_client, [letter_of(application)], confirm=False)
    assert "the decision board has not approved" in asked.content.decode()
    response = release_action(coordinator_client, [letter_of(application)], approved=False)
    assert "has not approved this decision yet" in response.content.decode()
    assert letter_of(application).is_draft


def test_sending_back_needs_a_reason_and_returns_the_application_to_the_coordinators(
    call, coordinator, member, member_client, django_capture_on_commit_callbacks
):
    application = proposed(call, "Ospedale di Pisa", proposer=coordinator)
    proposal = Proposal.objects.get()
    data = {"proposals": [proposal.pk], "action": "send_back", "reason": ""}
    refused = member_client.post(board_url(call), data)
    page = refused.content.decode()
    assert "Give the reason for sending the proposals back." in page
    assert f'value="{proposal.pk}" id="proposal-{proposal.pk}" checked' in page  # kept ticked
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED

    data["reason"] = "Rank Braga first: same country."
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(board_url(call), data)
    [told] = mail.outbox  # the coordinators, so that they propose again
    assert told.to == [coordinator.email]
    assert "Rank Braga first: same country." in told.body
    assert "Ospedale di Pisa" in told.subject
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SENT_BACK
    assert proposal.board_reason == "Rank Braga first: same country."
    assert proposal.board_by == member
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW
    assert letter_of(application).status == LetterStatus.SUPERSEDED

    # The coordinator proposes again.
    decide(application, coordinator, S.WAITLISTED, "Waitlisted after the board's remark.")
    assert (
        Proposal.objects.filter(application=application, status=ProposalStatus.PROPOSED).count()
        == 1
    )


def test_the_board_settles_a_referred_application_itself(
    call, coordinator, coordinator_client, member, member_client
):
    application = proposed(call, "Ospedale di Pisa", S.REFERRED, proposer=coordinator)
    referral = Proposal.objects.get()
    url = reverse("board:settle", args=[referral.pk])
    missing = member_client.post(url, {"outcome": S.ACCEPTED, "reason": ""})
    assert missing.status_code == 200
    assert "This field is required." in missing.content.decode()
    member_client.post(url, {"outcome": S.ACCEPTED, "reason": "The board finds it complementary."})
    application.refresh_from_db()
    assert application.status == S.ACCEPTED
    referral.refresh_from_db()
    assert referral.status == ProposalStatus.SETTLED
    own = Proposal.objects.get(application=application, outcome=S.ACCEPTED)
    assert own.status == ProposalStatus.APPROVED and own.board_by == member
    letter = letter_of(application)
    assert letter.outcome == S.ACCEPTED and letter.is_draft
    release_action(coordinator_client, [letter], approved=False)
    assert Membership.objects.current().filter(institution=application.institution).exists()


def test_a_coordinator_cannot_settle_a_referral(call, coordinator, in_review):
    decide(in_review, coordinator, S.REFERRED, "For the board.")
    with pytest.raises(ValidationError, match="cannot become"):
        decide(in_review, coordinator, S.ACCEPTED, "Accepted after all.")


def test_a_call_can_require_a_favourable_opinion_for_acceptance(call, coordinator, in_review):
    CallDecisionRules.objects.create(call=call, opinion_required=True)
    with pytest.raises(ValidationError, match="none is given"):
        decide(in_review, coordinator, S.ACCEPTED)
    opinion_give(application=in_review, user=coordinator, favourable=False, reasons="Too small.")
    with pytest.raises(ValidationError, match="it is unfavourable"):
        decide(in_review, coordinator, S.ACCEPTED)
    opinion_give(application=in_review, user=coordinator, favourable=True, reasons="Reconsidered.")
    decide(in_review, coordinator, S.ACCEPTED)
    in_review.refresh_from_db()
    assert in_review.status == S.ACCEPTED
    entries = AuditEntry.objects.filter(action="opinion.given").order_by("sequence")
    assert [e.data["favourable"] for e in entries] == [False, True]
    assert entries.last().data["replaces"] == {"favourable": False}


def test_a_panel_member_gives_the_opinion_on_their_own_page(client, call, in_review):
    from tests.factories import UserFactory

    panellist = UserFactory(email="panel@network.example")
    rules = CallDecisionRules.objects.create(call=call)
    rules.panel.add(panellist)
    client.force_login(panellist)
    url = reverse("board:opinions", args=[call.pk])
    page = client.get(url)
    assert in_review.institution.name in page.content.decode()
    prefix = f"a{in_review.pk}"
    missing = client.post(url, {"application": in_review.pk, f"{prefix}-favourable": "yes"})
    assert missing.status_code == 400
    assert "This field is required." in missing.content.decode()
    client.post(
        url,
        {"application": in_review.pk, f"{prefix}-favourable": "yes", f"{prefix}-reasons": "Good."},
    )
    opinion = Opinion.objects.get(application=in_review)
    assert opinion.favourable and opinion.given_by == panellist
    assert opinion.given_at <= timezone.now()


def test_an_approval_sent_twice_is_harmless(call, coordinator, member_client):
    proposed(call, "Ospedale di Pisa", proposer=coordinator)
    data = {"proposals": [Proposal.objects.get().pk], "action": "approve"}
    member_client.post(board_url(call), data)
    again = member_client.post(board_url(call), data, follow=True)
    assert again.status_code == 200
    assert "1 proposal approved." in again.content.decode()
    assert AuditEntry.objects.filter(action="proposal.approved").count() == 1


def test_the_composition_counts_the_acceptances_not_in_force_yet(call, coordinator, member_client):
    proposed(call, "Ospedale di Pisa", proposer=coordinator)
    proposed(call, "Hospital de Braga", proposer=coordinator, country="PT")
    approve_one = Proposal.objects.get(application__institution__name="Hospital de Braga")
    member_client.post(board_url(call), {"proposals": [approve_one.pk], "action": "approve"})
    response = member_client.get(board_url(call))
    tiers = {line.label: line for line in response.context["view"].composition.tiers}
    full = tiers["Full member"]
    assert full.after - full.before == 2  # the waiting one and the approved, unreleased one
