"""The admin's "request more information" action, end to end through the admin client."""

# Fixtures imported from tests/applications/conftest.py are parameters of the tests below.
# ruff: noqa: F811

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from applications.enums import ApplicationStatus
from applications.models import InformationRequest
from calls.models import Call
from tests.applications.conftest import applicant, call, complete, draft, institution  # noqa: F401
from tests.applications.information_requests import submitted  # noqa: F401
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    CriteriaSectionFactory,
    UserFactory,
    staff_with_mfa,
)

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:applications_application_changelist"


def coordinator_of(network):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    network.coordinators.add(user)
    return staff_with_mfa(user)


@pytest.fixture
def coordinator_client(client, call):
    client.force_login(coordinator_of(call.network))
    return client


def act(client, applications, **extra):
    return client.post(
        reverse(CHANGELIST),
        {
            "action": "request_information",
            "_selected_action": [application.pk for application in applications],
            **extra,
        },
        follow=True,
    )


def due_in_call_zone(call, days=10):
    return timezone.localtime(timezone.now() + datetime.timedelta(days=days), call.zone)


def test_request_information_asks_then_records_with_the_due_date_in_the_calls_zone(
    coordinator_client,
    submitted,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    Call.objects.filter(pk=submitted.call_id).update(time_zone="America/New_York")
    call = Call.objects.get(pk=submitted.call_id)
    activity = call.criteria_set.sections.get(title="Activity")

    asked = act(coordinator_client, [submitted]).content.decode()
    assert "Sections to reopen" in asked
    assert "Activity" in asked and "Resources" in asked
    assert "America/New_York" in asked
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.ELIGIBLE  # nothing yet

    due = due_in_call_zone(call).replace(hour=17, minute=0, second=0, microsecond=0)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = act(
            coordinator_client,
            [submitted],
            confirm="1",
            sections=[activity.pk],
            message="Add your home-care volumes.",
            due_at=due.strftime("%Y-%m-%dT%H:%M"),
        )
    assert "Information requested from 1 application." in done.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.INFORMATION_REQUESTED
    request = InformationRequest.objects.get(application=submitted)
    assert request.due_at == due  # 17:00 in New York, whatever the coordinator's zone
    assert list(request.sections.all()) == [activity]
    assert request.message == "Add your home-care volumes."
    assert [email.to for email in mailoutbox] == [["anna@ospedale.example"]]


def test_request_information_shows_errors_beside_fields_and_keeps_what_was_typed(
    coordinator_client,
    submitted,
):
    response = act(
        coordinator_client,
        [submitted],
        confirm="1",
        message="Typed with care.",
        due_at="2001-01-01T10:00",
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose at least one section to reopen." in page
    assert "The due date must be in the future." in page
    assert "Typed with care." in page
    assert 'value="2001-01-01T10:00"' in page
    response = act(coordinator_client, [submitted], confirm="1", due_at="not a date")
    assert "Enter a valid date/time." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.ELIGIBLE


def test_request_information_refuses_a_selection_spanning_several_calls(
    coordinator_client,
    submitted,
):
    other_call = CallFactory(network=submitted.call.network)
    other = ApplicationFactory(call=other_call, status=ApplicationStatus.ELIGIBLE)
    response = act(coordinator_client, [submitted, other])
    assert "belong to several calls" in response.content.decode()
    assert not InformationRequest.objects.exists()


def test_request_information_reports_each_application_the_service_refuses(
    coordinator_client,
    submitted,
):
    draft_elsewhere = ApplicationFactory(call=submitted.call)  # still a draft
    activity = submitted.call.criteria_set.sections.get(title="Activity")
    response = act(
        coordinator_client,
        [submitted, draft_elsewhere],
        confirm="1",
        sections=[activity.pk],
        message="More please.",
        due_at=due_in_call_zone(submitted.call).strftime("%Y-%m-%dT%H:%M"),
    )
    page = response.content.decode()
    assert "Information requested from 1 application." in page
    assert f"{draft_elsewhere}: An application that is “Draft” cannot become" in page
    draft_elsewhere.refresh_from_db()
    assert draft_elsewhere.status == ApplicationStatus.DRAFT


def test_request_information_ignores_sections_of_another_call(
    coordinator_client,
    submitted,
):
    foreign = CriteriaSectionFactory(title="Foreign section")
    response = act(
        coordinator_client,
        [submitted],
        confirm="1",
        sections=[foreign.pk],
        message="More please.",
        due_at=due_in_call_zone(submitted.call).strftime("%Y-%m-%dT%H:%M"),
    )
    assert "Select a valid choice" in response.content.decode()
    assert not InformationRequest.objects.exists()


def test_request_information_on_a_forged_id_of_another_network_changes_nothing(
    client,
    submitted,
):
    outsider = coordinator_of(CallFactory().network)
    client.force_login(outsider)
    activity = submitted.call.criteria_set.sections.get(title="Activity")
    response = act(
        client,
        [submitted],
        confirm="1",
        sections=[activity.pk],
        message="Forged.",
        due_at=due_in_call_zone(submitted.call).strftime("%Y-%m-%dT%H:%M"),
    )
    assert response.status_code == 200
    assert "No application was chosen." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.ELIGIBLE
    assert not InformationRequest.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "applicant", "staff_without_network"])
def test_request_information_refused_to_everyone_but_the_coordinator(
    client,
    submitted,
    applicant,
    role,
):
    if role == "applicant":
        client.force_login(applicant)
    elif role == "staff_without_network":
        staff = UserFactory(is_staff=True)
        staff.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
        client.force_login(staff_with_mfa(staff))
    activity = submitted.call.criteria_set.sections.get(title="Activity")
    response = client.post(
        reverse(CHANGELIST),
        {
            "action": "request_information",
            "_selected_action": [submitted.pk],
            "confirm": "1",
            "sections": [activity.pk],
            "message": "Sneaky.",
            "due_at": due_in_call_zone(submitted.call).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code in (302, 403)
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.ELIGIBLE
