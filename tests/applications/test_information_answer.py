"""While information is requested the applicant changes only the reopened sections, until the
due date, and sends them as a new submitted version; through the services and the pages."""

# The fixtures imported from tests/applications/information_requests.py are parameters below.
# ruff: noqa: F811

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.enums import InstitutionRole
from applications.enums import ApplicationStatus
from applications.models import Answer, Application
from applications.services.drafting import endorsement_save
from applications.services.information import information_answer
from applications.services.transitions import TransitionError
from tests.applications.conftest import person
from tests.applications.information_requests import (  # noqa: F401
    ask,
    close_the_call,
    coordinator,
    criterion,
    make_due,
    save_answer,
    sections_of,
    submitted,
)
from tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus


# Editing while information is requested


def test_applicant_edits_a_reopened_section_after_the_call_deadline(
    submitted,
    coordinator,
    applicant,
):
    ask(submitted, coordinator)
    close_the_call(submitted.call)
    result = save_answer(submitted, applicant, "A.2", "510")
    assert [c.code for c in result.saved] == ["A.2"]
    assert Answer.objects.get(application=submitted, criterion__code="A.2").value == "510"


def test_applicant_cannot_edit_a_section_that_was_not_reopened(
    submitted,
    coordinator,
    applicant,
):
    ask(submitted, coordinator)
    with pytest.raises(ValidationError) as refused:
        save_answer(submitted, applicant, "B.1", "Shared team")
    assert refused.value.code == "not_reopened"
    with pytest.raises(ValidationError):
        endorsement_save(
            application=submitted,
            user=applicant,
            issuing_authority="Someone else",
            issued_on=datetime.date(2026, 10, 2),
        )
    assert Answer.objects.get(application=submitted, criterion__code="B.1").value == (
        "Dedicated team"
    )


def test_applicant_cannot_edit_a_reopened_section_after_the_due_date(
    submitted,
    coordinator,
    applicant,
):
    request = ask(submitted, coordinator)
    make_due(request)
    with pytest.raises(ValidationError) as refused:
        save_answer(submitted, applicant, "A.2", "510")
    assert refused.value.code == "information_due"


def test_outsider_cannot_edit_a_reopened_section(submitted, coordinator):
    ask(submitted, coordinator)
    with pytest.raises(PermissionDenied):
        save_answer(submitted, coordinator, "A.2", "510")


# Answering


def test_information_answer_makes_a_new_version_and_returns_the_status(
    submitted,
    coordinator,
    applicant,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    assignment = AssignmentFactory(application=submitted)
    request = ask(submitted, coordinator)
    close_the_call(submitted.call)
    save_answer(submitted, applicant, "A.2", "510")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submission = information_answer(application=submitted, user=applicant)
    assert submission.number == 2
    assert submission.content["answers"]["A.2"] == "510"
    submitted.refresh_from_db()
    assert submitted.status == S.ELIGIBLE
    request.refresh_from_db()
    assert (request.answered_by, request.lapsed_at) == (applicant, None)
    assignment.refresh_from_db()
    assert assignment.status == "accepted"  # reviewers keep their assignments
    assert any("Receipt" in email.subject for email in mailoutbox)
    with pytest.raises(ValidationError):  # nothing to change any more
        save_answer(submitted, applicant, "A.2", "600")


def test_information_answer_twice_makes_one_version(submitted, coordinator, applicant):
    ask(submitted, coordinator)
    information_answer(application=submitted, user=applicant)
    with pytest.raises(TransitionError):
        information_answer(application=Application.objects.get(pk=submitted.pk), user=applicant)
    assert submitted.submissions.count() == 2


def test_information_answer_refused_after_the_due_date(submitted, coordinator, applicant):
    request = ask(submitted, coordinator)
    with pytest.raises(ValidationError) as refused:
        information_answer(
            application=submitted, user=applicant, now=request.due_at + datetime.timedelta(1)
        )
    assert refused.value.code == "information_due"
    submitted.refresh_from_db()
    assert submitted.status == S.INFORMATION_REQUESTED


def test_information_answer_refused_when_a_required_answer_was_emptied(
    submitted,
    coordinator,
    applicant,
):
    ask(submitted, coordinator)
    save_answer(submitted, applicant, "A.2", "")
    with pytest.raises(ValidationError) as refused:
        information_answer(application=submitted, user=applicant)
    assert "Answer A.2 “Patients a year”." in refused.value.messages


def test_information_answer_only_by_the_representative_or_deputy(
    submitted,
    coordinator,
    institution,
):
    contributor = person("luca@ospedale.example", institution, InstitutionRole.CONTRIBUTOR)
    ask(submitted, coordinator)
    save_answer(submitted, contributor, "A.2", "510")  # a contributor may edit
    with pytest.raises(PermissionDenied):
        information_answer(application=submitted, user=contributor)


# The applicant's pages


def test_overview_shows_the_request_its_message_and_due_date_with_the_zone(
    client,
    submitted,
    coordinator,
    applicant,
):
    ask(submitted, coordinator)
    client.force_login(applicant)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "Please detail the number of patients seen at home." in page
    assert f"({submitted.call.time_zone})" in page
    assert reverse("applications:send_information", args=[submitted.public_id]) in page
    assert reverse("applications:reopen", args=[submitted.public_id]) not in page


def test_section_page_lets_the_applicant_change_only_a_reopened_section(
    client,
    submitted,
    coordinator,
    applicant,
):
    ask(submitted, coordinator)
    close_the_call(submitted.call)
    client.force_login(applicant)
    sections = sections_of(submitted.call)
    reopened = reverse("applications:section", args=[submitted.public_id, sections["Activity"].pk])
    locked = reverse("applications:section", args=[submitted.public_id, sections["Resources"].pk])
    assert "Save draft" in client.get(reopened).content.decode()
    assert "Save draft" not in client.get(locked).content.decode()

    target = criterion(submitted.call, "B.1")
    response = client.post(locked, {f"criterion_{target.pk}": "Shared team"}, follow=True)
    assert "Only the parts the coordinators reopened" in response.content.decode()
    assert Answer.objects.get(application=submitted, criterion=target).value == "Dedicated team"


def test_send_information_page_twice_makes_one_version(
    client,
    submitted,
    coordinator,
    applicant,
):
    ask(submitted, coordinator)
    client.force_login(applicant)
    url = reverse("applications:send_information", args=[submitted.public_id])
    page = client.get(url)
    assert page.status_code == 200
    assert "Send the information" in page.content.decode()
    first = client.post(url, follow=True)
    assert "The information has been sent (version 2)" in first.content.decode()
    second = client.post(url, follow=True)
    assert "No information is awaited" in second.content.decode()
    assert submitted.submissions.count() == 2
    submitted.refresh_from_db()
    assert submitted.status == S.ELIGIBLE


def test_send_information_url_for_each_role(client, submitted, coordinator, institution):
    ask(submitted, coordinator)
    url = reverse("applications:send_information", args=[submitted.public_id])

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "login" in anonymous.url

    outsider = person("olaf@elsewhere.example")
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404

    client.force_login(coordinator)  # coordinators work in the admin, not as the applicant
    assert client.post(url).status_code == 404

    contributor = person("luca@ospedale.example", institution, InstitutionRole.CONTRIBUTOR)
    client.force_login(contributor)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 403

    submitted.refresh_from_db()
    assert submitted.status == S.INFORMATION_REQUESTED
