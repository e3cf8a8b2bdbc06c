"""The cached figures turned into what a page shows: titled charts with their data as tables.

Everything here runs on the figures already computed (codes and numbers), so it costs no query;
labels are translated at this point, in the language of the request.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from applications.enums import ApplicationStatus
from dashboards import charts
from dashboards.scope import Scope
from networks.country_groups import ASSOCIATED_COUNTRIES, EEA_COUNTRIES, EU_MEMBER_STATES
from networks.country_groups import country_group as group_of
from networks.enums import CountryGroup, InstitutionType

S = ApplicationStatus
DECIDED = [S.ACCEPTED, S.REJECTED, S.WAITLISTED, S.REFERRED]
# Submitted and waiting on the applicant for more information: past submission, not yet decided.
ASKED = [s for s in S if s.value == "info_requested"]
# The funnel: the applications that reached each stage, judged by where they are now.
FUNNEL = [
    (S.DRAFT, None),
    (S.SUBMITTED, [S.SUBMITTED, *ASKED, S.ELIGIBLE, S.INELIGIBLE, S.IN_REVIEW, *DECIDED]),
    (S.ELIGIBLE, [S.ELIGIBLE, S.IN_REVIEW, *DECIDED]),
    (S.IN_REVIEW, [S.IN_REVIEW, *DECIDED]),
    ("decided", DECIDED),
]
# The countries the calls admit by group: where a network's coverage is measured.
COVERAGE_COUNTRIES = sorted(EU_MEMBER_STATES | EEA_COUNTRIES | ASSOCIATED_COUNTRIES)


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


def _bars(rows: list[list], *, title) -> str:
    """A bar chart of the rows' first two columns, described in words for screen readers."""
    return charts.bar_chart(
        [(row[0], row[1]) for row in rows],
        title=title,
        description=", ".join(f"{row[0]}: {row[1]}" for row in rows),
    )


def country_name(code: str) -> str:
    return str(countries.name(code)) or code


def figures_present(raw: dict[str, Any], *, scope: Scope) -> list[Figure]:
    """Every figure of the dashboard, in the order the page shows them."""
    return [build(raw, scope) for build in BUILDERS.values()]


def figure_present(raw: dict[str, Any], *, scope: Scope, slug: str) -> Figure | None:
    build = BUILDERS.get(slug)
    return build(raw, scope) if build else None


def summary(raw: dict[str, Any]) -> list[tuple[str, int]]:
    """The headline numbers above the charts."""
    status = raw["status"]
    total = sum(status.values())
    submitted = sum(status.get(s, 0) for s in FUNNEL[1][1])
    decided = sum(status.get(s, 0) for s in DECIDED)
    return [
        (_("Applications"), total),
        (_("Submitted"), submitted),
        (_("Decided"), decided),
        (_("Countries"), len(raw["countries"])),
    ]


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


def _funnel(raw) -> Figure:
    status = raw["status"]
    total = sum(status.values())
    rows = []
    for stage, statuses in FUNNEL:
        reached = total if statuses is None else sum(status.get(s, 0) for s in statuses)
        label = _("Decided") if stage == "decided" else S(stage).label
        if stage == S.DRAFT:
            label = _("Started")
        rows.append([str(label), reached, _percent(reached, total)])
    return Figure(
        slug="funnel",
        title=_("From draft to decision"),
        description=_("How many applications reached each stage, of all those started."),
        columns=[_("Stage"), _("Applications"), _("Share of started")],
        rows=rows,
        chart=_bars(rows, title=_("Applications reaching each stage")),
        notes=[
            _(
                "An application counts at every stage up to where it is now; withdrawn and "
                "ineligible applications stop where they left."
            )
        ],
    )


def _statuses(raw) -> Figure:
    status = raw["status"]
    rows = [[str(s.label), status.get(s.value, 0)] for s in S]
    return Figure(
        slug="status",
        title=_("Applications by status"),
        description=_("Where every application is now."),
        columns=[_("Status"), _("Applications")],
        rows=rows,
        chart=_bars(rows, title=_("Applications by status")),
    )


def _decisions(raw) -> Figure:
    status = raw["status"]
    decided = sum(status.get(s, 0) for s in DECIDED)
    rows = [[str(s.label), status.get(s, 0), _percent(status.get(s, 0), decided)] for s in DECIDED]
    return Figure(
        slug="decisions",
        title=_("Decisions"),
        description=_("The decisions taken so far."),
        columns=[_("Decision"), _("Applications"), _("Share of decisions")],
        rows=rows,
        chart=_bars(rows, title=_("Decisions")),
    )


def _countries(raw) -> Figure:
    counts = dict(raw["countries"])
    rows = [
        [country_name(code), code, str(CountryGroup(group_of(code)).label), n]
        for code, n in raw["countries"]
    ]
    bounds = charts.class_bounds(max(counts.values(), default=0))
    names = {code: country_name(code) for code in charts.TILES}
    return Figure(
        slug="countries",
        title=_("Applications by country"),
        description=_("Each square is a country, darker for more applications."),
        columns=[_("Country"), _("Code"), _("Country group"), _("Applications")],
        rows=rows,
        chart=charts.tile_map(
            counts,
            title=_("Map of Europe: applications by country"),
            description=", ".join(f"{r[0]}: {r[3]}" for r in rows) or _("No applications."),
            classes=bounds,
            names=names,
        ),
        legend=charts.legend(bounds),
        long_table=True,
        notes=_outside_map_note(counts),
    )


def _outside_map_note(counts: dict[str, int]) -> list[str]:
    outside = [code for code in counts if code not in charts.TILES]
    if not outside:
        return []
    return [
        _("Not on the map, counted in the table: %(countries)s.")
        % {"countries": ", ".join(country_name(code) for code in sorted(outside))}
    ]


def _labelled_bars(raw_rows, label, *, slug, title, description, column) -> Figure:
    rows = [[str(label(value)), n] for value, n in raw_rows]
    return Figure(
        slug=slug,
        title=title,
        description=description,
        columns=[column, _("Applications")],
        rows=rows,
        chart=charts.bar_chart(
            [(r[0], r[1]) for r in rows],
            title=title,
            description=", ".join(f"{r[0]}: {r[1]}" for r in rows) or _("No applications."),
        ),
    )


def _country_groups(raw) -> Figure:
    return _labelled_bars(
        raw["country_groups"],
        lambda value: CountryGroup(value).label,
        slug="country-groups",
        title=_("Applications by country group"),
        description=_("EU Member States, EEA countries, associated countries and others."),
        column=_("Country group"),
    )


def _institution_types(raw) -> Figure:
    return _labelled_bars(
        raw["institution_types"],
        lambda value: InstitutionType(value).label if value in InstitutionType.values else value,
        slug="institution-types",
        title=_("Applications by type of institution"),
        description=_("Hospitals, cancer centres, institutes, societies and organisations."),
        column=_("Type of institution"),
    )


def _submissions(raw, scope: Scope) -> Figure:
    zone = zoneinfo.ZoneInfo(scope.time_zone)
    deadlines = []
    for title, instant in raw["deadlines"]:
        moment = datetime.datetime.fromisoformat(instant).astimezone(zone)
        deadlines.append((title, moment))
    series = _every_day(raw["submissions"], also=[moment.date() for _t, moment in deadlines])
    markers = [
        (moment.date().isoformat(), _("Deadline") if len(deadlines) == 1 else str(i))
        for i, (_title, moment) in enumerate(deadlines, start=1)
    ]
    notes = [
        _("Days in the %(zone)s time zone; each application counted on its last submission.")
        % {"zone": scope.time_zone}
    ]
    for i, (title, moment) in enumerate(deadlines, start=1):
        prefix = "" if len(deadlines) == 1 else f"{i}. "
        notes.append(
            _("%(prefix)sDeadline of %(call)s: %(moment)s")
            % {"prefix": prefix, "call": title, "moment": moment.strftime("%Y-%m-%d %H:%M %Z")}
        )
    return Figure(
        slug="submissions",
        title=_("Submissions over time"),
        description=_("Applications submitted each day; the dashed line marks the deadline."),
        columns=[_("Day"), _("Submissions")],
        rows=[[day, n] for day, n in series],
        chart=charts.column_chart(
            series,
            title=_("Submissions per day"),
            description=_("%(total)s submissions over %(days)s days.")
            % {"total": sum(n for _day, n in series), "days": len(series)},
            markers=markers,
        ),
        notes=notes,
        long_table=True,
    )


def _every_day(rows: list[tuple[str, int]], *, also=()) -> list[tuple[str, int]]:
    """The days from the first submission to the last, days without any at zero, stretched to
    take in the deadlines (`also`) that fall within a few weeks of them."""
    if not rows:
        return []
    counts = dict(rows)
    day = datetime.date.fromisoformat(rows[0][0])
    last = datetime.date.fromisoformat(rows[-1][0])
    reach = datetime.timedelta(days=42)
    for deadline in also:
        if day - reach <= deadline <= last + reach:
            day, last = min(day, deadline), max(last, deadline)
    series = []
    while day <= last:
        series.append((day.isoformat(), counts.get(day.isoformat(), 0)))
        day += datetime.timedelta(days=1)
    return series


def _stages(raw) -> Figure:
    rows = [
        [str(_("Draft, until first submitted") if stage == S.DRAFT else S(stage).label), n, days]
        for stage, n, days in raw["stages"]
    ]
    return Figure(
        slug="stages",
        title=_("Time spent in each stage"),
        description=_("Mean days an application stays in a stage, from its history of changes."),
        columns=[_("Stage"), _("Stays"), _("Mean days")],
        rows=[[label, n, "–" if days is None else days] for label, n, days in rows],
        chart=charts.bar_chart(
            [(label, days or 0.0) for label, _n, days in rows],
            title=_("Mean days in each stage"),
            description=", ".join(f"{label}: {days or 0}" for label, _n, days in rows),
            unit=" " + _("days"),
        ),
        notes=[_("Stays still going are counted up to now.")],
    )


def _reviews(raw) -> Figure:
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
        chart=_bars(rows, title=_("Review progress and backlog")),
    )


def _reviewer_load(raw) -> Figure:
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
        chart=charts.bar_chart(
            [(r[0], r[1]) for r in rows],
            title=_("Reviewers by number of active assignments"),
            description=", ".join(f"{r[0]}: {r[1]}" for r in rows) or _("No reviewers."),
        ),
        long_table=len(rows) > 12,
    )


def _scores(raw) -> Figure:
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
        chart=_bars(rows, title=_("Submitted reviews by weighted score")),
    )


def _coverage(raw, scope: Scope) -> Figure:
    networks = raw["coverage"]["networks"]
    notes = [
        _(
            "Coverage is counted over the EU Member States, EEA countries and associated "
            "countries, from current memberships."
        )
    ]
    if len(networks) == 1:
        members = networks[0]["members"]
        rows = [
            [country_name(code), code, members.get(code, 0)]
            for code in sorted(COVERAGE_COUNTRIES, key=country_name)
        ]
        covered = sum(1 for code in COVERAGE_COUNTRIES if members.get(code))
        bounds = charts.class_bounds(max(members.values(), default=0))
        return Figure(
            slug="coverage",
            title=_("Country coverage of the network"),
            description=_("%(covered)s of %(total)s countries have a member.")
            % {"covered": covered, "total": len(COVERAGE_COUNTRIES)},
            columns=[_("Country"), _("Code"), _("Current members")],
            rows=rows,
            chart=charts.tile_map(
                members,
                title=_("Map of Europe: the network's members by country"),
                description=_("Countries with no member: %(countries)s.")
                % {
                    "countries": ", ".join(r[0] for r in rows if not r[2]) or _("none"),
                },
                classes=bounds,
                names={code: country_name(code) for code in charts.TILES},
            ),
            legend=charts.legend(bounds),
            notes=notes,
            long_table=True,
        )
    rows = []
    for network in networks:
        members = network["members"]
        without = [code for code in COVERAGE_COUNTRIES if not members.get(code)]
        rows.append(
            [
                network["short_name"],
                len(COVERAGE_COUNTRIES) - len(without),
                len(without),
                ", ".join(sorted(country_name(code) for code in without)),
            ]
        )
    return Figure(
        slug="coverage",
        title=_("Country coverage of the networks"),
        description=_("Countries with and without a current member, network by network."),
        columns=[
            _("Network"),
            _("Countries with a member"),
            _("Countries without"),
            _("Countries without a member"),
        ],
        rows=rows,
        chart=_bars(rows, title=_("Countries with a member, by network")),
        notes=notes,
        long_table=True,
    )


# Figure slug -> how it is built, in the order the page shows them.
BUILDERS = {
    "funnel": lambda raw, scope: _funnel(raw),
    "status": lambda raw, scope: _statuses(raw),
    "decisions": lambda raw, scope: _decisions(raw),
    "countries": lambda raw, scope: _countries(raw),
    "country-groups": lambda raw, scope: _country_groups(raw),
    "institution-types": lambda raw, scope: _institution_types(raw),
    "submissions": _submissions,
    "stages": lambda raw, scope: _stages(raw),
    "reviews": lambda raw, scope: _reviews(raw),
    "reviewer-load": lambda raw, scope: _reviewer_load(raw),
    "scores": lambda raw, scope: _scores(raw),
    "coverage": _coverage,
}
FIGURE_SLUGS = list(BUILDERS)
