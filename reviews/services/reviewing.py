"""Writing a review: scores per criterion on the call's scales, comments, a recommendation."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from calls.models import Criterion
from reviews.enums import AssignmentStatus, ReviewStatus
from reviews.models import Assignment, ConsensusNote, Review, Score
from reviews.scoring import weighted_score


def scored_criteria(assignment: Assignment) -> list[Criterion]:
    return [
        criterion
        for criterion in Criterion.objects.filter(
            section__criteria_set=assignment.application.call.criteria_set_id
        ).order_by("section__position", "position", "pk")
        if criterion.is_scored
    ]


@transaction.atomic
def review_save(
    *,
    assignment: Assignment,
    user: User,
    scores: dict[int, int | None],
    comments: str,
    recommendation: str,
    submit: bool,
) -> Review:
    """Save a review as a draft, or submit it; it can be edited until the review deadline."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.reviewer.user_id != user.pk:
        raise PermissionDenied
    if assignment.status != AssignmentStatus.ACCEPTED:
        raise ValidationError(_("Accept the assignment before reviewing."))
    if assignment.due_at and timezone.now() >= assignment.due_at:
        raise ValidationError(_("The review deadline has passed: the review can no longer change."))
    criteria = {criterion.pk: criterion for criterion in scored_criteria(assignment)}
    errors = {}
    for criterion_id, value in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None or value is None:
            continue
        if not criterion.score_min <= value <= criterion.score_max:
            errors[f"criterion_{criterion_id}"] = _("Give a score from %(low)d to %(high)d.") % {
                "low": criterion.score_min,
                "high": criterion.score_max,
            }
    review, _created = Review.objects.get_or_create(assignment=assignment)
    if submit:
        for criterion_id in criteria:
            if scores.get(criterion_id) is None:
                errors.setdefault(
                    f"criterion_{criterion_id}", _("Score this criterion to submit the review.")
                )
        if not recommendation:
            errors["recommendation"] = _("Give your overall recommendation to submit the review.")
    if errors:
        raise ValidationError(errors)
    for criterion_id, value in scores.items():
        if criterion_id not in criteria:
            continue
        if value is None:
            Score.objects.filter(review=review, criterion_id=criterion_id).delete()
        else:
            Score.objects.update_or_create(
                review=review, criterion_id=criterion_id, defaults={"value": value}
            )
    review.comments = comments
    review.recommendation = recommendation
    review.score = weighted_score(
        dict(review.scores.values_list("criterion_id", "value")), criteria.values()
    )
    if submit and review.status != ReviewStatus.SUBMITTED:
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = timezone.now()
    review.save()
    return review


def is_lead_reviewer(assignment: Assignment) -> bool:
    """The lead reviewer of an application is the first to have accepted it."""
    lead = (
        Assignment.objects.filter(
            application=assignment.application_id, status=AssignmentStatus.ACCEPTED
        )
        .order_by("responded_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    return lead == assignment.pk


@transaction.atomic
def consensus_note_save(*, assignment: Assignment, user: User, text: str) -> ConsensusNote:
    """The lead reviewer records where the reviewers agree and differ."""
    if assignment.reviewer.user_id != user.pk:
        raise PermissionDenied
    if not is_lead_reviewer(assignment):
        raise PermissionDenied(_("Only the lead reviewer writes the consensus note."))
    note, _created = ConsensusNote.objects.update_or_create(
        application=assignment.application,
        defaults={"author": assignment.reviewer, "text": text},
    )
    return note
