"""Figures of the review: assignments and reviews, the reviewers' load, the scores given."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboards.presentation.figure import Figure, bars
from dashboards.scope import Scope


def reviews(raw: dict[str, Any], scope: Scope) -> Figure:
    progress = raw["reviews"]
    labels = [
        ("submitted", _("Reviews submitted")),
        ("in_progress", _("Reviews awaited (backlog)")),
        ("overdue", _("Reviews overdue")),
        ("proposed", _("Assignments awaiting the reviewer's reply")),
        ("accepted", _("Assignments accepted")),
        ("declined", _("Assignments declined")),
        ("withdrawn", _("Assignments withdrawn")),
        ("short_of_reviews", _("Applications in review still short of reviews")),
    ]
    rows = [[str(label), progress.get(key, 0)] for key, label in labels]
    return Figure(
        slug="reviews",
        title=_("Review progress and backlog"),
        description=_("Reviewer assignments and reviews of the applications shown."),
        columns=[_("Figure"), _("Number")],
        rows=rows,
        chart=bars(rows, title=_("Review progress and backlog")),
    )


def reviewer_load(raw: dict[str, Any], scope: Scope) -> Figure:
    rows = [
        [
            ngettext("%(n)s active assignment", "%(n)s active assignments", load) % {"n": load},
            reviewers,
        ]
        for load, reviewers in raw["reviewer_load"]
    ]
    return Figure(
        slug="reviewer-load",
        title=_("Reviewer load"),
        description=_("How many reviewers hold how many assignments awaiting or under review."),
        columns=[_("Load"), _("Reviewers")],
        rows=rows,
        chart=bars(
            rows, title=_("Reviewers by number of active assignments"), empty=_("No reviewers.")
        ),
        long_table=len(rows) > 12,
    )


def scores(raw: dict[str, Any], scope: Scope) -> Figure:
    bands = dict(raw["scores"])
    rows = [
        [f"{low}–{low + 9 if low < 90 else 100}", bands.get(low, 0)] for low in range(0, 100, 10)
    ]
    return Figure(
        slug="scores",
        title=_("Score distribution"),
        description=_("Submitted reviews by weighted score out of 100."),
        columns=[_("Score"), _("Reviews")],
        rows=rows,
        chart=bars(rows, title=_("Submitted reviews by weighted score")),
    )
