"""The cached figures turned into what a page shows: titled charts with their data as tables.

Everything here runs on the figures already computed (codes and numbers), so it costs no query;
labels are translated at this point, in the language of the request. The figures are built by
area (applications, countries, reviews); this module lists them in the order the page shows them.
"""

from collections.abc import Callable
from typing import Any

from dashboards.presentation import applications, countries, reviews
from dashboards.presentation.applications import summary
from dashboards.presentation.figure import Figure
from dashboards.scope import Scope

__all__ = ["BUILDERS", "FIGURE_SLUGS", "Figure", "figure_present", "figures_present", "summary"]

# Figure slug -> how it is built from the cached figures and the scope, in the page's order.
BUILDERS: dict[str, Callable[[dict[str, Any], Scope], Figure]] = {
    "funnel": applications.funnel,
    "status": applications.statuses,
    "decisions": applications.decisions,
    "countries": countries.countries,
    "country-groups": countries.country_groups,
    "institution-types": countries.institution_types,
    "submissions": applications.submissions,
    "stages": applications.stages,
    "reviews": reviews.reviews,
    "reviewer-load": reviews.reviewer_load,
    "scores": reviews.scores,
    "coverage": countries.coverage,
}
FIGURE_SLUGS = list(BUILDERS)


def figures_present(raw: dict[str, Any], *, scope: Scope) -> list[Figure]:
    """Every figure of the dashboard, in the order the page shows them."""
    return [build(raw, scope) for build in BUILDERS.values()]


def figure_present(raw: dict[str, Any], *, scope: Scope, slug: str) -> Figure | None:
    """One figure, for its CSV; None for a slug that names no figure."""
    build = BUILDERS.get(slug)
    return build(raw, scope) if build else None
