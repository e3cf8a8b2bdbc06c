"""The applicant's pages, split by area."""

from applicant.views.documents import document_download
from applicant.views.editing import (
    application_declarations,
    application_documents,
    application_endorsement,
    application_people,
)
from applicant.views.overview import application_detail, application_start, my_applications
from applicant.views.preview import application_form_preview
from applicant.views.sections import application_section
from applicant.views.submission import (
    application_receipt,
    application_reopen,
    application_send_information,
    application_submit,
    application_withdraw,
)

__all__ = [
    "application_declarations",
    "application_detail",
    "application_documents",
    "application_endorsement",
    "application_form_preview",
    "application_people",
    "application_receipt",
    "application_reopen",
    "application_section",
    "application_send_information",
    "application_start",
    "application_submit",
    "application_withdraw",
    "document_download",
    "my_applications",
]
