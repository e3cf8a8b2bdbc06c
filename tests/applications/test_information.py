"""A coordinator asks for more information: sections reopen for the applicant until a due date of
their own; the answer is a new submitted version, or the request lapses and the version stands."""

# Fixtures imported from tests/applications/conftest.py are parameters of the tests below.
# ruff: noqa: F811

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.enums import InstitutionRole
from applications.enums import Actor, ApplicationStatus
from applications.models import Answer, Application, InformationRequest
from applications.services.drafting import answers_save, endorsement_save
from applications.services.information import (
    information_answer,
    information_request,
    information_request_lapse,
)
from applications.services.submission import application_submit, application_withdraw
from applications.services.transitions import TransitionError, transition_allowed
from applications.tasks import information_requests_lapse_task
from audit.models import AuditEntry
from calls.models import Call
from tests.applications.conftest import (  # noqa: F401
    applicant,
    call,
    complete,
    draft,
    institution,
    person,
)
from tests.factories import AssignmentFactory, CallFactory, CriteriaSectionFactory, UserFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def coordinator(call):
    user = UserFactory(email="carla@network.example")
    call.network.coordinators.add(user)
    return user


@pytest.fixture
def submitted(draft, applicant, django_capture_on_commit_callbacks):
    complete(draft, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=draft, user=applicant)
    draft.refresh_from_db()
    assert draft.status == S.ELIGIBLE
    return draft


def sections_of(call):
    return {section.title: section for section in call.criteria_set.sections.all()}


def criterion(call, code):
    return next(
        c
        for section in call.criteria_set.sections.all()
        for c in section.criteria.all()
        if c.code == code
    )


def ask(application, user, *, due_in=datetime.timedelta(days=10), sections=("Activity",)):
    titles = sections_of(application.call)
    return information_request(
        application=application,
        user=user,
        sections=[titles[title] for title in sections],
        message="Please detail the number of patients seen at home.",
        due_at=timezone.now() + due_in,
    )


def close_the_call(call):
    Call.objects.filter(pk=call.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=30),
        closes_at=timezone.now() - datetime.timedelta(hours=1),
    )


def make_due(request):
    """The request was made two days ago and its due date has just passed."""
    InformationRequest.objects.filter(pk=request.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=2),
        due_at=timezone.now() - datetime.timedelta(seconds=1),
    )


def save_answer(application, user, code, value):
    target = criterion(application.call, code)
    answer = Answer.objects.filter(application=application, criterion=target).first()
    return answers_save(
        application=Application.objects.get(pk=application.pk),
        user=user,
        values={target.pk: value},
        loaded_revisions={target.pk: answer.revision if answer else 0},
    )


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


# Lapsing


def test_lapse_returns_the_status_and_undoes_changes_never_sent(
    submitted,
    coordinator,
    applicant,
):
    request = ask(submitted, coordinator)
    save_answer(submitted, applicant, "A.2", "999")
    assert not information_request_lapse(information_request_id=request.pk)  # not due yet
    make_due(request)
    assert information_requests_lapse_task() == 1
    submitted.refresh_from_db()
    assert submitted.status == S.ELIGIBLE
    assert submitted.status_changes.last().actor is None
    assert Answer.objects.get(application=submitted, criterion__code="A.2").value == "420"
    request.refresh_from_db()
    assert request.lapsed_at is not None and request.answered_at is None
    assert submitted.submissions.count() == 1
    assert information_requests_lapse_task() == 0  # idempotent


def test_withdrawing_closes_the_request(submitted, coordinator, applicant):
    request = ask(submitted, coordinator)
    application_withdraw(application=submitted, user=applicant, reason="We merged.")
    request.refresh_from_db()
    assert request.lapsed_at is not None
    assert information_requests_lapse_task() == 0


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


def test_a_reopened_document_can_be_replaced_and_is_restored_when_the_request_lapses(
    submitted,
    coordinator,
    applicant,
):
    from applications.enums import DocumentPurpose
    from applications.services.drafting import document_upload
    from calls.enums import DocumentKind
    from tests.applications.conftest import pdf_upload

    self_assessment = submitted.call.required_documents.get(kind=DocumentKind.SELF_ASSESSMENT)
    request = information_request(
        application=submitted,
        user=coordinator,
        sections=[sections_of(submitted.call)["Activity"]],
        documents=[self_assessment],
        message="Upload this year's self-assessment.",
        due_at=timezone.now() + datetime.timedelta(days=3),
    )
    document_upload(
        application=submitted,
        user=applicant,
        uploaded=pdf_upload("self-assessment-2026.pdf"),
        purpose=DocumentPurpose.REQUIRED,
        required_document=self_assessment,
    )
    current = submitted.documents.filter(
        required_document=self_assessment, superseded_at__isnull=True
    )
    assert current.get().original_name == "self-assessment-2026.pdf"

    assert information_request_lapse(
        information_request_id=request.pk, now=request.due_at + datetime.timedelta(seconds=1)
    )
    assert current.get().original_name == "self-assessment.pdf"
    submitted.refresh_from_db()
    assert submitted.status == S.ELIGIBLE
