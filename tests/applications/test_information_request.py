"""A coordinator asks for more information: who may ask, from which statuses, and what the request
records and tells the applicant."""

# The fixtures imported from tests/applications/information_requests.py are parameters below.
# ruff: noqa: F811

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from applications.enums import Actor, ApplicationStatus
from applications.models import InformationRequest
from applications.services.information import information_request
from applications.services.transitions import TransitionError, transition_allowed
from audit.models import AuditEntry
from calls.models import Call
from tests.applications.information_requests import ask, coordinator, submitted  # noqa: F401
from tests.factories import CallFactory, CriteriaSectionFactory, UserFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus


# The table


@pytest.mark.parametrize("from_status", [S.SUBMITTED, S.ELIGIBLE, S.IN_REVIEW])
def test_transition_information_requested_only_by_a_coordinator(from_status):
    assert transition_allowed(
        from_status=from_status, to_status=S.INFORMATION_REQUESTED, actor_kind=Actor.COORDINATOR
    )
    for actor in (Actor.APPLICANT, Actor.SYSTEM):
        assert not transition_allowed(
            from_status=from_status, to_status=S.INFORMATION_REQUESTED, actor_kind=actor
        )


@pytest.mark.parametrize("resume", [S.SUBMITTED, S.ELIGIBLE, S.IN_REVIEW])
def test_transition_back_from_information_requested_by_applicant_or_system(resume):
    for actor in (Actor.APPLICANT, Actor.SYSTEM):
        assert transition_allowed(
            from_status=S.INFORMATION_REQUESTED, to_status=resume, actor_kind=actor
        )
    assert not transition_allowed(
        from_status=S.INFORMATION_REQUESTED, to_status=resume, actor_kind=Actor.COORDINATOR
    )


@pytest.mark.parametrize("from_status", [S.DRAFT, S.ACCEPTED, S.REJECTED, S.INELIGIBLE])
def test_transition_information_request_refused_outside_review(from_status):
    assert not transition_allowed(
        from_status=from_status, to_status=S.INFORMATION_REQUESTED, actor_kind=Actor.COORDINATOR
    )


# Requesting


def test_information_request_reopens_sections_records_and_audits(submitted, coordinator):
    request = ask(submitted, coordinator)
    submitted.refresh_from_db()
    assert submitted.status == S.INFORMATION_REQUESTED
    assert request.resume_status == S.ELIGIBLE
    assert [s.title for s in request.sections.all()] == ["Activity"]
    change = submitted.status_changes.last()
    assert (change.from_status, change.to_status, change.actor) == (
        S.ELIGIBLE,
        S.INFORMATION_REQUESTED,
        coordinator,
    )
    assert change.reason == "Please detail the number of patients seen at home."
    assert AuditEntry.objects.filter(
        application=submitted, action="application.information_request"
    ).exists()


def test_information_request_refused_from_a_draft(draft, coordinator):
    with pytest.raises(TransitionError):
        ask(draft, coordinator)
    assert not InformationRequest.objects.exists()


def test_information_request_refused_to_a_coordinator_of_another_network(submitted):
    other = UserFactory()
    CallFactory().network.coordinators.add(other)
    with pytest.raises(PermissionDenied):
        ask(submitted, other)
    submitted.refresh_from_db()
    assert submitted.status == S.ELIGIBLE


def test_information_request_refused_to_the_applicant(submitted, applicant):
    with pytest.raises(PermissionDenied):
        ask(submitted, applicant)


def test_information_request_needs_message_sections_of_the_call_and_a_future_due_date(
    submitted, coordinator
):
    foreign = CriteriaSectionFactory(title="Elsewhere")
    with pytest.raises(ValidationError) as refused:
        information_request(
            application=submitted,
            user=coordinator,
            sections=[foreign],
            message="   ",
            due_at=timezone.now() - datetime.timedelta(minutes=1),
        )
    assert set(refused.value.message_dict) == {"message", "sections", "due_at"}
    submitted.refresh_from_db()
    assert submitted.status == S.ELIGIBLE


def test_information_request_emails_the_applicant_with_the_due_date_in_the_calls_zone(
    submitted,
    coordinator,
    applicant,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    Call.objects.filter(pk=submitted.call_id).update(time_zone="Europe/Lisbon")
    submitted.call.refresh_from_db()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ask(submitted, coordinator)
    [email] = mailoutbox
    assert email.to == [applicant.email]
    assert "More information is requested" in email.subject
    assert "Please detail the number of patients seen at home." in email.body
    assert "(Europe/Lisbon)" in email.body
    assert "Activity" in email.body
