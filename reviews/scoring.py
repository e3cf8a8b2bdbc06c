"""Scores: a review's weighted score out of 100, and how an application's reviewers compare."""

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import F, Q

from calls.models import Criterion
from reviews.enums import AssignmentStatus, ReviewStatus

# The reviews that count towards an application's score: submitted, by a reviewer whose
# assignment still stands. A review left by a reviewer who was replaced, or whose assignment
# was withdrawn when the application was reopened, no longer counts. Written twice, for the
# database and for rows already loaded; tests/reviews/test_scoring.py holds them together.


def counted_reviews(path_to_assignment: str = "") -> Q:
    """The assignments whose review counts, as a filter: `path_to_assignment` leads from the
    model queried to the assignment ("" from an assignment, "assignments__" from an
    application)."""
    return Q(
        **{
            f"{path_to_assignment}status": AssignmentStatus.ACCEPTED,
            f"{path_to_assignment}review__status": ReviewStatus.SUBMITTED,
        }
    )


def review_counts(assignment) -> bool:
    """Whether an assignment's review counts (its `review` loaded, or absent)."""
    review = getattr(assignment, "review", None)
    return (
        assignment.status == AssignmentStatus.ACCEPTED
        and review is not None
        and review.status == ReviewStatus.SUBMITTED
    )


def weighted_score(scores: Mapping[int, int], criteria: Iterable[Criterion]) -> float | None:
    """A review's score out of 100: each criterion's score on its own scale, weighted.

    None when no scored criterion has a score yet. Computed once, when the review is saved
    (reviews.services.reviewing.review_save), and kept on the review as `Review.score`: every
    screen reads that, so the workbench, the ranking and the exports cannot disagree.
    """
    total = weights = 0.0
    for criterion in criteria:
        if not criterion.is_scored or criterion.pk not in scores:
            continue
        span = criterion.score_max - criterion.score_min
        total += float(criterion.weight) * (scores[criterion.pk] - criterion.score_min) / span
        weights += float(criterion.weight)
    return round(100 * total / weights, 1) if weights else None


@dataclass(frozen=True)
class ScoreSummary:
    """The submitted reviews of one application, side by side."""

    scores: list[float]
    mean: float | None
    median: float | None
    spread: float | None
    disagreement: bool


def reviewers_disagree(*, count: int, spread: float | None, threshold: int) -> bool:
    """Reviewers disagree when two or more scored and their scores are further apart than the
    call's threshold: the one rule, which `disagreement_q` says in SQL."""
    return count > 1 and spread is not None and spread > threshold


def disagreement_q(*, count: str, spread: str, threshold: str) -> Q:
    """`reviewers_disagree` as a query condition on annotated or stored fields, by their names."""
    return Q(**{f"{count}__gt": 1, f"{spread}__isnull": False, f"{spread}__gt": F(threshold)})


def summarise(scores: list[float], *, threshold: int) -> ScoreSummary:
    """Mean, median and spread (highest minus lowest); reviewers disagree past the threshold."""
    if not scores:
        return ScoreSummary(scores=[], mean=None, median=None, spread=None, disagreement=False)
    spread = round(max(scores) - min(scores), 1)
    return ScoreSummary(
        scores=scores,
        mean=round(statistics.fmean(scores), 1),
        median=round(statistics.median(scores), 1),
        spread=spread,
        disagreement=reviewers_disagree(count=len(scores), spread=spread, threshold=threshold),
    )
