"""Issue 13: a PDF with active content is refused beside the field on every upload path (a
required document, a file answer, the letter of endorsement, a document reopened by a request
for information), and nothing is stored."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications.services.information import information_request
from tests.applications.information_requests import close_the_call, coordinator, submitted
from tests.applications.test_pdf_active_content import javascript_open_action, launch_action

pytestmark = pytest.mark.django_db
__all__ = ["coordinator", "submitted"]

REASON_JS = "The PDF contains active content that could run when a reviewer opens it: JavaScript."


def active_pdf(build=javascript_open_action):
    return SimpleUploadedFile("dossier.pdf", build(), content_type="application/pdf")


def error_beside(page: str, field_id: str, text: str) -> bool:
    """The refusal is shown in the field's own feedback, next to its input."""
    return bool(
        re.search(
            rf'id="{field_id}"[^>]*>.{{0,300}}?invalid-feedback.{{0,120}}?<strong>{re.escape(text)}',
            page,
            re.S,
        )
    )


def test_a_required_document_with_javascript_is_refused_beside_the_field(client, draft, applicant):
    client.force_login(applicant)
    slot = draft.call.required_documents.get(kind="self_assessment")

    response = client.post(
        reverse("applications:documents", args=[draft.public_id]),
        {"slot": slot.pk, f"doc{slot.pk}-file": active_pdf()},
    )

    assert response.status_code == 400
    assert error_beside(response.content.decode(), f"id_doc{slot.pk}-file", REASON_JS)
    assert not draft.documents.exists()


def test_a_file_answer_with_a_launch_action_is_refused_beside_the_field(
    client, draft, applicant, call
):
    client.force_login(applicant)
    resources = call.criteria_set.sections.get(title="Resources")
    chart = resources.criteria.get(code="B.3")

    response = client.post(
        reverse("applications:section", args=[draft.public_id, resources.pk]),
        {"revisions": "{}", f"criterion_{chart.pk}": active_pdf(launch_action)},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert error_beside(page, f"id_criterion_{chart.pk}", "The PDF contains active content")
    assert "(Launch)" in page
    assert not draft.documents.exists()


def test_a_letter_of_endorsement_with_javascript_is_refused_and_what_was_typed_is_kept(
    client, draft, applicant
):
    client.force_login(applicant)

    response = client.post(
        reverse("applications:endorsement", args=[draft.public_id]),
        {
            "issuing_authority": "Ministero della Salute",
            "issued_on": "2026-10-01",
            "letter": active_pdf(),
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert error_beside(page, "id_letter", REASON_JS)
    assert 'value="Ministero della Salute"' in page
    assert not draft.documents.exists()


def test_a_document_sent_in_reply_to_a_request_for_information_with_javascript_is_refused(
    client, submitted, coordinator, applicant
):
    slot = submitted.call.required_documents.get(kind="self_assessment")
    information_request(
        application=submitted,
        user=coordinator,
        sections=[submitted.call.criteria_set.sections.get(title="Activity")],
        documents=[slot],
        message="Please send the self-assessment signed.",
        due_at=timezone.now() + datetime.timedelta(days=10),
    )
    close_the_call(submitted.call)
    before = submitted.documents.count()
    client.force_login(applicant)

    response = client.post(
        reverse("applications:documents", args=[submitted.public_id]),
        {"slot": slot.pk, f"doc{slot.pk}-file": active_pdf()},
    )

    assert response.status_code == 400
    assert error_beside(response.content.decode(), f"id_doc{slot.pk}-file", REASON_JS)
    assert submitted.documents.count() == before
