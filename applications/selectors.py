"""Reads of applications, scoped to who asks, each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import User
from applications.enums import DocumentPurpose
from applications.models import (
    Application,
    ApplicationDocument,
    Declaration,
    StatusChange,
    Submission,
)
from calls.models import CriteriaSection, Criterion, RequiredDocument
from reviews.scoring import ScoreSummary, review_counts, summarise


def applications_of(*, user: User) -> QuerySet[Application]:
    """Applications of the institutions the user acts for, with what their pages show."""
    return (
        Application.objects.filter(institution__affiliations__user=user)
        .select_related(
            "call__network",
            "call__criteria_set",
            "institution",
            "representative",
            "deputy",
            "endorsement",
        )
        .prefetch_related(
            "call__suspensions",
            "call__required_documents",
            Prefetch(
                "call__criteria_set__sections",
                queryset=CriteriaSection.objects.prefetch_related("criteria"),
            ),
            "answers",
            "topics",
            Prefetch(
                "documents",
                queryset=ApplicationDocument.objects.select_related("uploaded_by"),
            ),
            "declarations",
            "status_changes__actor",
            "submissions",
        )
        .order_by("-created_at")
    )


def documents_visible_to(*, user: User) -> QuerySet[ApplicationDocument]:
    """Documents of applications of the institutions the user acts for, that the user has
    accepted to review (after declaring no conflict of interest), or whose network the user
    coordinates; administrators see every document."""
    from networks.rules import is_administrator
    from reviews.enums import AssignmentStatus

    if is_administrator(user):
        return ApplicationDocument.objects.select_related("application")
    applicant = Q(application__institution__affiliations__user=user)
    reviewer = Q(
        application__assignments__reviewer__user=user,
        application__assignments__status=AssignmentStatus.ACCEPTED,
    )
    coordinator = Q(application__call__network__coordinators=user)
    return (
        ApplicationDocument.objects.filter(applicant | reviewer | coordinator)
        .select_related("application")
        .distinct()
    )


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    answer: object
    documents: list[ApplicationDocument]


@dataclass(frozen=True)
class ScoreRow:
    criterion: Criterion
    scores: list[int | None]  # one per review, in the order of `Dossier.reviews`


@dataclass(frozen=True)
class Dossier:
    """Everything a coordinator weighs on one application, read in a fixed number of queries."""

    sections: list[tuple[CriteriaSection, list[CriterionRow]]]
    required_documents: list[tuple[RequiredDocument, list[ApplicationDocument]]]
    endorsement_letters: list[ApplicationDocument]
    declarations: list[Declaration]
    assignments: list
    reviews: list
    score_rows: list[ScoreRow]
    summary: ScoreSummary
    consensus: object
    routing_events: list
    status_changes: list[StatusChange]
    submissions: list[Submission]
    information_requests: list
    letters: list
    redress_requests: list
    audit_entries: list


def application_dossier(*, application: Application) -> Dossier:
    """The application's answers, documents, declarations, reviews side by side, routing history,
    requests for information, letters, redress, status history and audit trail. The caller has
    checked that the user may see it."""
    from audit.selectors import audit_entries_for_application
    from decisions.models import Letter, RedressRequest
    from reviews.models import Assignment, ConsensusNote, RoutingEvent

    call = application.call
    sections = list(
        CriteriaSection.objects.filter(criteria_set=call.criteria_set_id)
        .prefetch_related("criteria")
        .order_by("position", "pk")
    )
    answers = {answer.criterion_id: answer.value for answer in application.answers.all()}
    documents = list(
        application.documents.filter(superseded_at__isnull=True)
        .select_related("uploaded_by")
        .order_by("uploaded_at")
    )
    by_criterion, by_requirement, letters = defaultdict(list), defaultdict(list), []
    for document in documents:
        if document.purpose == DocumentPurpose.ENDORSEMENT:
            letters.append(document)
        elif document.criterion_id:
            by_criterion[document.criterion_id].append(document)
        elif document.required_document_id:
            by_requirement[document.required_document_id].append(document)
    assignments = list(
        Assignment.objects.filter(application=application)
        .select_related("reviewer__user", "review")
        .prefetch_related("review__scores")
        .order_by("assigned_at", "pk")
    )
    reviews = [a.review for a in assignments if review_counts(a)]
    scored = [c for section in sections for c in section.criteria.all() if c.is_scored]
    values = [{score.criterion_id: score.value for score in r.scores.all()} for r in reviews]
    return Dossier(
        sections=[
            (
                section,
                [
                    CriterionRow(
                        criterion=criterion,
                        answer=answers.get(criterion.pk),
                        documents=by_criterion.get(criterion.pk, []),
                    )
                    for criterion in section.criteria.all()
                ],
            )
            for section in sections
        ],
        required_documents=[
            (required, by_requirement.get(required.pk, []))
            for required in call.required_documents.all()
        ],
        endorsement_letters=letters,
        declarations=list(application.declarations.all()),
        assignments=assignments,
        reviews=reviews,
        score_rows=[ScoreRow(criterion=c, scores=[v.get(c.pk) for v in values]) for c in scored],
        summary=summarise(
            [r.score for r in reviews if r.score is not None],
            threshold=call.disagreement_threshold,
        ),
        consensus=ConsensusNote.objects.filter(application=application)
        .select_related("author__user")
        .first(),
        routing_events=list(RoutingEvent.objects.filter(application=application)),
        status_changes=list(application.status_changes.select_related("actor").order_by("at")),
        submissions=list(application.submissions.order_by("number")),
        information_requests=list(
            application.information_requests.order_by("requested_at").prefetch_related("sections")
        ),
        letters=list(Letter.objects.filter(application=application).order_by("created_at")),
        redress_requests=list(
            RedressRequest.objects.filter(application=application).order_by("requested_at")
        ),
        audit_entries=list(audit_entries_for_application(application_id=application.pk)),
    )
