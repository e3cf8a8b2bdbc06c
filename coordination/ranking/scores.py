"""The counted reviews' weighted scores of a call's applications, in one query."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from calls.models import Call, Criterion
from reviews.models import Assignment
from reviews.scoring import ScoreSummary, counted_reviews, summarise


@dataclass(frozen=True)
class ReviewScores:
    """The counted reviews of one application: how many, and their weighted scores."""

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


def review_scores(*, call: Call, application_ids: Iterable[int]) -> dict[int, ReviewScores]:
    """Per application, the weighted scores of its counted reviews (reviews/scoring
    counted_reviews), as each review keeps it (`Review.score`, the one the workbench shows),
    their mean, spread and whether the reviewers disagree past the call's threshold.

    One query, for any number of applications.
    """
    ids = list(application_ids)
    scores_of: dict[int, list[float | None]] = defaultdict(list)
    for application_id, score in (
        Assignment.objects.filter(counted_reviews(), application_id__in=ids)
        .order_by("review__pk")
        .values_list("application_id", "review__score")
    ):
        scores_of[application_id].append(score)
    result = {}
    for application_id in ids:
        scores = scores_of.get(application_id, [])
        result[application_id] = ReviewScores(
            done=len(scores),
            expected=call.reviews_per_application,
            summary=summarise(
                [score for score in scores if score is not None],
                threshold=call.disagreement_threshold,
            ),
        )
    return result
