"""What every figure is made of: the Figure itself and the few shapes of chart the figures share.

Labels are translated here, at drawing time, in the language of the request.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString
from django_countries import countries

from dashboards import charts


@dataclass
class Figure:
    slug: str
    title: str
    description: str
    columns: list[str]
    rows: list[list[Any]]
    chart: SafeString | None = None
    notes: list[str] = field(default_factory=list)
    legend: list[tuple[str, str, str]] = field(default_factory=list)
    long_table: bool = False  # shown folded in a <details>, the chart beside it
    csv_url: str = ""
    # The rows of the page's table when they are fewer than the CSV's (None: the same rows),
    # and the sentence under that table saying what was left out.
    table_rows: list[list[Any]] | None = None
    table_note: str = ""

    @property
    def shown_rows(self) -> list[list[Any]]:
        return self.rows if self.table_rows is None else self.table_rows


def bars(rows: list[list], *, title, empty: str = "") -> SafeString:
    """A bar chart of the rows' first two columns, described in words for screen readers
    (`empty` when there are no rows)."""
    return charts.bar_chart(
        [(row[0], row[1]) for row in rows],
        title=title,
        description=", ".join(f"{row[0]}: {row[1]}" for row in rows) or empty,
    )


def europe_map(values: dict[str, int], *, title, description) -> tuple[SafeString, list]:
    """The tile map of `values` by country code, and the legend of its colour classes."""
    bounds = charts.class_bounds(max(values.values(), default=0))
    chart = charts.tile_map(
        values,
        title=title,
        description=description,
        classes=bounds,
        names={code: country_name(code) for code in charts.TILES},
    )
    return chart, charts.legend(bounds)


def country_name(code: str) -> str:
    return str(countries.name(code)) or code


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"
