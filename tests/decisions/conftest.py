"""Decided applications, their letters, and the people who look at them."""

import smtplib

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from accounts import roles
from accounts.models import User
from applications.enums import Actor, ApplicationStatus
from applications.models import Application, StatusChange
from applications.services.submission import application_submit
from applications.services.transitions import application_transition
from decisions.enums import ProposalStatus
from decisions.models import Letter, Proposal
from decisions.services.letters import letter_draft
from decisions.services.proposals import proposal_approve
from tests.applications.conftest import (  # noqa: F401
    applicant,
    call,
    complete,
    draft,
    institution,
    person,
)
from tests.factories import CallFactory, InstitutionFactory, UserFactory, staff_with_mfa


class FailingOnceBackend(EmailBackend):
    """Django's in-memory mail backend behind an SMTP server that drops the first connection."""

    failures_left = 1

    def send_messages(self, messages):
        if FailingOnceBackend.failures_left > 0:
            FailingOnceBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class AlwaysFailingBackend(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPConnectError(421, "Service not available")


def coordinator_of(network, email):
    coordinator = UserFactory(email=email, is_staff=True)
    coordinator.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    network.coordinators.add(coordinator)
    return staff_with_mfa(coordinator)


@pytest.fixture
def coordinator(call):  # noqa: F811
    return coordinator_of(call.network, "coordinator@network.example")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def submitted(draft, applicant, django_capture_on_commit_callbacks):  # noqa: F811
    """A complete application, submitted and found eligible."""
    complete(draft, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=draft, user=applicant)
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.ELIGIBLE
    mail.outbox.clear()  # the submission receipt
    return draft


@pytest.fixture
def in_review(submitted):
    application_transition(
        application=submitted,
        to_status=ApplicationStatus.IN_REVIEW,
        actor=None,
        actor_kind=Actor.SYSTEM,
    )
    return submitted


def board_member(email="board.member@board.example"):
    """A member of the decision board (not staff: the board works on its own pages)."""
    member = User.objects.filter(email=email).first() or UserFactory(email=email)
    member.groups.add(Group.objects.get_or_create(name=roles.DECISION_BOARD)[0])
    return member


def approve(letter: Letter) -> None:
    """The decision board approves the decision the letter announces, if it is waiting."""
    proposal = Proposal.objects.filter(decision=letter.decision_id).first()
    if proposal is not None and proposal.status == ProposalStatus.PROPOSED:
        proposal_approve(proposal=proposal, user=board_member())


def decided_letter(call, name, outcome=ApplicationStatus.REJECTED, approved=True):  # noqa: F811
    """An application of a new institution, decided directly, with its letter in draft; its
    decision approved by the decision board unless `approved` is False."""
    institution = InstitutionFactory(name=name)  # noqa: F811
    representative = person(f"{name.lower().replace(' ', '.')}@institution.example", institution)
    application = Application.objects.create(
        call=call,
        institution=institution,
        tier_requested="full_member",
        created_by=representative,
        representative=representative,
        status=outcome,
    )
    decision = StatusChange.objects.create(
        application=application,
        from_status=ApplicationStatus.IN_REVIEW,
        to_status=outcome,
        reason=f"Reason for {name}",
    )
    if approved:
        Proposal.objects.create(
            application=application,
            decision=decision,
            outcome=outcome,
            status=ProposalStatus.APPROVED,
            proposed_by=representative,
            proposed_at=decision.at,
            board_by=board_member(),
            board_at=decision.at,
        )
    return letter_draft(application=application)


@pytest.fixture
def other_network_letter():
    """A draft letter in another network, with its coordinator."""
    other_call = CallFactory(title="Other network's call")
    letter = decided_letter(other_call, "Elsewhere Hospital")
    coordinator_of(other_call.network, "other.coordinator@network.example")
    return letter


def decide(application, coordinator, outcome, reason="Meets every criterion."):
    """A coordinator's decision, before the deadline and the reviews: overridden, with a reason."""
    from workflow.decision import application_decide

    return application_decide(
        application=application,
        user=coordinator,
        outcome=outcome,
        reason=reason,
        override=True,
        override_reason="Deciding early for the test.",
    )


def release_action(client, letters, confirm=True, approved=True):
    """The coordinator releases the letters in the admin; the board approved them first unless
    `approved` is False."""
    if approved and confirm:
        for letter in letters:
            approve(letter)
    data = {"action": "release", "_selected_action": [letter.pk for letter in letters]}
    if confirm:
        data["confirm"] = "1"
    from django.urls import reverse

    return client.post(reverse("admin:decisions_letter_changelist"), data, follow=True)


def letter_of(application) -> Letter:
    return application.letters.order_by("-pk").first()
