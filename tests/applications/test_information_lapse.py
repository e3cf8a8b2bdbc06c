"""A request for information that lapses at its due date (or ends with a withdrawal): the
application returns to its status, and changes never sent are undone."""

# The fixtures imported from tests/applications/information_requests.py are parameters below.
# ruff: noqa: F811

import datetime

import pytest
from django.utils import timezone

from applications.enums import ApplicationStatus, DocumentPurpose
from applications.models import Answer
from applications.services.drafting import document_upload
from applications.services.information import information_request, information_request_lapse
from applications.tasks import information_requests_lapse_task
from calls.enums import DocumentKind
from tests.applications.conftest import pdf_upload
from tests.applications.information_requests import (  # noqa: F401
    ask,
    coordinator,
    make_due,
    save_answer,
    sections_of,
    submitted,
)
from workflow.review import application_withdraw

pytestmark = pytest.mark.django_db
S = ApplicationStatus


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


def test_a_reopened_document_can_be_replaced_and_is_restored_when_the_request_lapses(
    submitted,
    coordinator,
    applicant,
):
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
