"""Scores: a review's weighted score out of 100, and how an application's reviewers compare."""

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from calls.models import Criterion


def weighted_score(scores: Mapping[int, int], criteria: Iterable[Criterion]) -> float | None:
    """A review's score out of 100: each criterion's score on its own scale, weighted.

    None when no scored criterion has a score yet.
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
        disagreement=len(scores) > 1 and spread > threshold,
    )
