"""Issue 11: choosing several files at once for one document is refused beside the field,
never silently cut down to one."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.applications.conftest import pdf_bytes

pytestmark = pytest.mark.django_db

ERROR = "Choose one file only: you chose 2."


def two_pdfs():
    return [
        SimpleUploadedFile("part-1.pdf", pdf_bytes(), content_type="application/pdf"),
        SimpleUploadedFile("part-2.pdf", pdf_bytes(), content_type="application/pdf"),
    ]


def error_beside(page: str, field_id: str) -> bool:
    """The error is shown in the field's own feedback, next to its input."""
    return bool(
        re.search(
            rf'id="{field_id}"[^>]*>.{{0,300}}?invalid-feedback.{{0,120}}?<strong>{re.escape(ERROR)}',
            page,
            re.S,
        )
    )


def test_several_files_for_one_document_are_refused_beside_the_field(client, draft, applicant):
    client.force_login(applicant)
    slot = draft.call.required_documents.get(kind="self_assessment")

    response = client.post(
        reverse("applications:documents", args=[draft.public_id]),
        {"slot": slot.pk, f"doc{slot.pk}-file": two_pdfs()},
    )

    assert response.status_code == 400
    assert error_beside(response.content.decode(), f"id_doc{slot.pk}-file")
    assert not draft.documents.exists()


def test_several_files_for_a_file_answer_are_refused_and_nothing_is_stored(
    client, draft, applicant, call
):
    client.force_login(applicant)
    resources = call.criteria_set.sections.get(title="Resources")
    chart = resources.criteria.get(code="B.3")
    url = reverse("applications:section", args=[draft.public_id, resources.pk])

    response = client.post(url, {"revisions": "{}", f"criterion_{chart.pk}": two_pdfs()})

    assert response.status_code == 400
    assert error_beside(response.content.decode(), f"id_criterion_{chart.pk}")
    assert not draft.documents.exists()


def test_several_endorsement_letters_are_refused_and_what_was_typed_is_kept(
    client, draft, applicant
):
    client.force_login(applicant)

    response = client.post(
        reverse("applications:endorsement", args=[draft.public_id]),
        {
            "issuing_authority": "Ministero della Salute",
            "issued_on": "2026-10-01",
            "letter": two_pdfs(),
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert error_beside(page, "id_letter")
    assert 'value="Ministero della Salute"' in page
    assert not draft.documents.exists()
