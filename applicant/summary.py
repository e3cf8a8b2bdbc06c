"""What "Review and submit" shows before the binding step: every answer by section with its
meaning, the documents, the endorsement and the declarations, each missing piece linked to the
page where it is given."""

from dataclasses import dataclass

from django.urls import reverse

from applications.enums import DeclarationKind, DocumentPurpose
from applications.models import Application, ApplicationDocument, Declaration, Endorsement
from calls.enums import AnswerType, DocumentKind
from calls.models import CriteriaSection, Criterion, RequiredDocument


@dataclass(frozen=True)
class AnswerRow:
    criterion: Criterion
    meaning: str
    documents: list[ApplicationDocument]
    missing: bool


@dataclass(frozen=True)
class SectionSummary:
    section: CriteriaSection
    url: str
    rows: list[AnswerRow]


@dataclass(frozen=True)
class DocumentRow:
    required: RequiredDocument
    documents: list[ApplicationDocument]
    missing: bool


@dataclass(frozen=True)
class DeclarationRow:
    kind: str
    declaration: Declaration | None


@dataclass(frozen=True)
class Summary:
    """Everything an applicant is about to submit, in the order of the application's pages."""

    people_url: str
    sections: list[SectionSummary]
    documents_url: str
    documents: list[DocumentRow]
    endorsement_url: str
    endorsement: Endorsement | None
    endorsement_letters: list[ApplicationDocument]
    declarations_url: str
    declarations: list[DeclarationRow]


def _url(name: str, application: Application, *args) -> str:
    return reverse(f"applications:{name}", args=[application.public_id, *args])


def application_summary(*, application: Application) -> Summary:
    """The application as it would be submitted now. The caller has checked the user may see it."""
    answers = {answer.criterion_id: answer.value for answer in application.answers.all()}
    documents = list(
        application.documents.filter(superseded_at__isnull=True).order_by("uploaded_at", "pk")
    )
    by_criterion: dict[int, list[ApplicationDocument]] = {}
    by_requirement: dict[int, list[ApplicationDocument]] = {}
    letters = []
    for document in documents:
        if document.purpose == DocumentPurpose.ENDORSEMENT:
            letters.append(document)
        elif document.criterion_id:
            by_criterion.setdefault(document.criterion_id, []).append(document)
        elif document.required_document_id:
            by_requirement.setdefault(document.required_document_id, []).append(document)

    sections = []
    for section in application.call.criteria_set.sections.prefetch_related("criteria"):
        rows = []
        for criterion in section.criteria.all():
            files = by_criterion.get(criterion.pk, [])
            meaning = criterion.answer_meaning(answers.get(criterion.pk))
            answered = bool(files) if criterion.answer_type == AnswerType.FILE else bool(meaning)
            rows.append(
                AnswerRow(
                    criterion=criterion,
                    meaning=meaning,
                    documents=files,
                    missing=criterion.required and not answered,
                )
            )
        sections.append(
            SectionSummary(section=section, url=_url("section", application, section.pk), rows=rows)
        )

    required_documents = [
        DocumentRow(
            required=required,
            documents=by_requirement.get(required.pk, []),
            missing=required.mandatory and not by_requirement.get(required.pk),
        )
        for required in application.call.required_documents.all()
        # The endorsement letter is shown with the endorsement.
        if required.kind != DocumentKind.ENDORSEMENT_LETTER
    ]
    made = {declaration.kind: declaration for declaration in application.declarations.all()}
    return Summary(
        people_url=_url("people", application),
        sections=sections,
        documents_url=_url("documents", application),
        documents=required_documents,
        endorsement_url=_url("endorsement", application),
        endorsement=application.endorsement_or_none,
        endorsement_letters=letters,
        declarations_url=_url("declarations", application),
        declarations=[
            DeclarationRow(kind=str(kind.label), declaration=made.get(kind))
            for kind in DeclarationKind
        ],
    )
