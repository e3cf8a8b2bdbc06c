"""The submitted reviews' weighted scores of a call's applications, in a fixed number of queries."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from calls.models import Call, Criterion
from reviews.enums import ReviewStatus
from reviews.models import Review, Score
from reviews.scoring import ScoreSummary, summarise, weighted_score


@dataclass(frozen=True)
class ReviewScores:
    """The submitted reviews of one application: how many, and their weighted scores."""

    done: int
    expected: int
    summary: ScoreSummary

    @property
    def score(self) -> float | None:
        return self.summary.mean


def call_criteria(*, call: Call) -> list[Criterion]:
    """The criteria of the call's criteria set, in their order."""
    return list(
        Criterion.objects.filter(section__criteria_set_id=call.criteria_set_id).order_by(
            "section__position", "section__pk", "position", "pk"
        )
    )


def review_scores(
    *, call: Call, application_ids: Iterable[int], criteria: list[Criterion] | None = None
) -> dict[int, ReviewScores]:
    """Per application, its submitted reviews' weighted scores (reviews/scoring.weighted_score),
    their mean, spread and whether the reviewers disagree past the call's threshold.

    Two queries (three without `criteria`), for any number of applications.
    """
    ids = list(application_ids)
    if criteria is None:
        criteria = call_criteria(call=call)
    submitted = Q(assignment__application_id__in=ids, status=ReviewStatus.SUBMITTED)
    reviews_of: dict[int, list[int]] = defaultdict(list)
    for review_id, application_id in (
        Review.objects.filter(submitted).order_by("pk").values_list("pk", "assignment__application")
    ):
        reviews_of[application_id].append(review_id)
    values: dict[int, dict[int, int]] = defaultdict(dict)
    for review_id, criterion_id, value in Score.objects.filter(
        review__assignment__application_id__in=ids, review__status=ReviewStatus.SUBMITTED
    ).values_list("review_id", "criterion_id", "value"):
        values[review_id][criterion_id] = value
    result = {}
    for application_id in ids:
        review_ids = reviews_of.get(application_id, [])
        scores = [
            score
            for review_id in review_ids
            if (score := weighted_score(values.get(review_id, {}), criteria)) is not None
        ]
        result[application_id] = ReviewScores(
            done=len(review_ids),
            expected=call.reviews_per_application,
            summary=summarise(scores, threshold=call.disagreement_threshold),
        )
    return result
