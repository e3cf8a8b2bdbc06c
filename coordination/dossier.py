"""The dossier on an application's change page: everything a coordinator weighs on it, read
in a fixed number of queries from the object the admin already fetched."""

from collections import defaultdict
from dataclasses import dataclass

from applications.enums import DocumentPurpose
from applications.models import (
    Application,
    ApplicationDocument,
    Declaration,
    StatusChange,
    Submission,
)
from audit.selectors import audit_entries_for_application
from calls.enums import DocumentKind
from calls.models import CriteriaSection, Criterion, RequiredDocument
from decisions.models import Letter, Opinion, Proposal, RedressRequest
from endorsements.enums import EndorsementState
from endorsements.models import NationalEndorsement
from reviews.models import Assignment, ConsensusNote, RoutingEvent
from reviews.scoring import ScoreSummary, review_counts, summarise


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    answer: object
    documents: list[ApplicationDocument]

    @property
    def meaning(self) -> str:
        """The answer as a coordinator reads it: "Yes", "L3 – mature leader"."""
        return self.criterion.answer_meaning(self.answer)


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
    # Where the country's endorsement stands (endorsements), and its record once submitted.
    endorsement_state: EndorsementState
    national_endorsement: NationalEndorsement | None
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
    opinion: object
    proposals: list
    audit_entries: list


def application_dossier(*, application: Application) -> Dossier:
    """The application's answers, documents, declarations, reviews side by side, routing history,
    requests for information, letters, redress, status history and audit trail. The caller has
    checked that the user may see it."""

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
    endorsement = (
        NationalEndorsement.objects.filter(application=application)
        .select_related("endorser__user")
        .first()
    )
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
            # The national letter of endorsement is uploaded with the endorsement itself.
            (
                required,
                letters
                if required.kind == DocumentKind.ENDORSEMENT_LETTER
                else by_requirement.get(required.pk, []),
            )
            for required in call.required_documents.all()
        ],
        endorsement_letters=letters,
        national_endorsement=endorsement,
        endorsement_state=(
            EndorsementState(endorsement.state)
            if endorsement
            # Submitted, and not routed yet: its letter is not recorded on the endorsement.
            else EndorsementState.LETTER_UPLOADED
            if letters
            else EndorsementState.PENDING
        ),
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
        opinion=Opinion.objects.filter(application=application).select_related("given_by").first(),
        proposals=list(
            Proposal.objects.filter(application=application)
            .select_related("proposed_by", "board_by")
            .order_by("proposed_at", "pk")
        ),
        audit_entries=list(audit_entries_for_application(application_id=application.pk)),
    )
