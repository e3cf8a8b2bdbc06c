"""An open call with one criterion of every answer type, and people who apply to it."""

import datetime
import io

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from accounts.enums import InstitutionRole
from accounts.models import Affiliation
from applications.enums import DeclarationKind, DocumentPurpose
from applications.services.drafting import (
    answers_save,
    application_start,
    declaration_save,
    document_upload,
    endorsement_save,
)
from calls.enums import AnswerType, DocumentKind
from tests.factories import (
    CallFactory,
    CriteriaSectionFactory,
    CriterionFactory,
    InstitutionFactory,
    RequiredDocumentFactory,
    UserFactory,
)


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name: str = "letter.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def person(email: str, institution=None, role=InstitutionRole.REPRESENTATIVE):
    user = UserFactory(email=email, name=email.split("@")[0].title())
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if institution is not None:
        Affiliation.objects.create(user=user, institution=institution, role=role)
    return user


def open_call(**fields):
    """An open call admitting EU hospitals, with a criterion of every answer type: what
    `complete` fills in. Outside a fixture too, for the fault suite (tests/chaos)."""
    call = CallFactory(
        **{
            "opens_at": timezone.now() - datetime.timedelta(days=5),
            "closes_at": timezone.now() + datetime.timedelta(days=20),
            "admitted_country_groups": ["eu"],
            "admitted_institution_types": ["hospital", "comprehensive_cancer_centre"],
            "tiers_offered": ["full_member", "affiliated_partner"],
            **fields,
        }
    )
    activity = CriteriaSectionFactory(criteria_set=call.criteria_set, title="Activity", position=1)
    CriterionFactory(
        section=activity, code="A.1", title="Describe your service", word_limit=50, position=1
    )
    CriterionFactory(
        section=activity,
        code="A.2",
        title="Patients a year",
        answer_type=AnswerType.NUMBER,
        word_limit=None,
        position=2,
    )
    CriterionFactory(
        section=activity,
        code="A.3",
        title="Do you run a day hospice?",
        answer_type=AnswerType.YES_NO,
        word_limit=None,
        position=3,
    )
    resources = CriteriaSectionFactory(
        criteria_set=call.criteria_set, title="Resources", position=2
    )
    CriterionFactory(
        section=resources,
        code="B.1",
        title="Staffing model",
        answer_type=AnswerType.CHOICE,
        choices=["Dedicated team", "Shared team"],
        word_limit=None,
        position=1,
    )
    CriterionFactory(
        section=resources,
        code="B.2",
        title="Maturity of the service",
        answer_type=AnswerType.MATURITY,
        word_limit=None,
        position=2,
    )
    CriterionFactory(
        section=resources,
        code="B.3",
        title="Organisation chart",
        answer_type=AnswerType.FILE,
        word_limit=None,
        position=3,
    )
    RequiredDocumentFactory(
        call=call, kind=DocumentKind.ENDORSEMENT_LETTER, title="National letter of endorsement"
    )
    RequiredDocumentFactory(
        call=call,
        kind=DocumentKind.SELF_ASSESSMENT,
        title="Self-assessment",
        allowed_formats=["pdf"],
        max_size_mb=1,
    )
    return call


@pytest.fixture
def call(db):
    """An open call admitting EU hospitals, with a criterion of every answer type."""
    return open_call(title="Palliative care call")


@pytest.fixture
def institution(db):
    return InstitutionFactory(name="Ospedale di Torino", country="IT")


@pytest.fixture
def applicant(institution):
    return person("anna@ospedale.example", institution)


@pytest.fixture
def draft(call, institution, applicant):
    return application_start(
        call=call, institution=institution, user=applicant, tier_requested="full_member"
    )


def answers_for(call) -> dict:
    values = {
        "A.1": "A palliative care unit with a day hospice and a home care team.",
        "A.2": "420",
        "A.3": "yes",
        "B.1": "Dedicated team",
        "B.2": "L2",
    }
    criteria = {
        criterion.code: criterion
        for section in call.criteria_set.sections.all()
        for criterion in section.criteria.all()
    }
    return {criteria[code].pk: value for code, value in values.items()}


def complete_but_self_assessment(application, user):
    """Fill in everything the call asks for but the required self-assessment (which a browser
    test uploads itself)."""
    call = application.call
    answers_save(application=application, user=user, values=answers_for(call), loaded_revisions={})
    chart = next(
        criterion
        for section in call.criteria_set.sections.all()
        for criterion in section.criteria.all()
        if criterion.answer_type == AnswerType.FILE
    )
    document_upload(
        application=application,
        user=user,
        uploaded=pdf_upload("chart.pdf"),
        purpose=DocumentPurpose.ANSWER,
        criterion=chart,
    )
    endorsement_save(
        application=application,
        user=user,
        issuing_authority="Ministero della Salute",
        issued_on=datetime.date(2026, 10, 1),
        letter=pdf_upload("endorsement.pdf"),
    )
    for kind in DeclarationKind:
        declaration_save(
            application=application,
            user=user,
            kind=kind,
            full_name="Anna Rossi",
            position="Director" if kind == DeclarationKind.DIRECTOR else "Head of unit",
            signed_on=datetime.date(2026, 11, 1),
            confirmed=True,
        )


def complete(application, user):
    """Fill in everything the call asks for."""
    complete_but_self_assessment(application, user)
    self_assessment = application.call.required_documents.get(kind=DocumentKind.SELF_ASSESSMENT)
    document_upload(
        application=application,
        user=user,
        uploaded=pdf_upload("self-assessment.pdf"),
        purpose=DocumentPurpose.REQUIRED,
        required_document=self_assessment,
    )
    application.refresh_from_db()
    return application
