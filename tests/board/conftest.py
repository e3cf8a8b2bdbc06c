"""Proposed decisions waiting for the decision board, and the people who look at them."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts import roles
from applications.enums import ApplicationStatus
from applications.models import Application, StatusChange
from decisions.enums import ProposalStatus
from decisions.models import Proposal
from decisions.services.letters import letter_draft
from tests.decisions.conftest import (  # noqa: F401
    applicant,
    board_member,
    call,
    complete,
    coordinator,
    coordinator_client,
    coordinator_of,
    draft,
    in_review,
    institution,
    person,
    submitted,
)
from tests.factories import InstitutionFactory, UserFactory


def proposed(call, name, outcome=ApplicationStatus.ACCEPTED, *, proposer, country="IT"):  # noqa: F811
    """An application in review, decided by a coordinator: its proposal waits for the board."""
    institution = InstitutionFactory(name=name, country=country)  # noqa: F811
    representative = UserFactory()
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
        actor=proposer,
    )
    Proposal.objects.create(
        application=application,
        decision=decision,
        outcome=outcome,
        status=ProposalStatus.PROPOSED,
        proposed_by=proposer,
        proposed_at=decision.at,
    )
    letter_draft(application=application)
    return application


@pytest.fixture
def member():
    return board_member()


@pytest.fixture
def member_client(member):
    """A browser of its own: tests use it beside the coordinator's."""
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def observer():
    user = UserFactory(email="observer@ec.example")
    user.groups.add(Group.objects.get_or_create(name=roles.EC_OBSERVERS)[0])
    return user
