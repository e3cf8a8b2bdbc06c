"""Figures of where the applications are and how they got there: the headline numbers, the
funnel, statuses, decisions, submissions over time and time spent in each stage."""

import datetime
import zoneinfo
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.enums import SUBMITTED_UNDECIDED, ApplicationStatus
from dashboards import charts
from dashboards.presentation.figure import Figure, bars, percent
from dashboards.scope import Scope

S = ApplicationStatus
DECIDED = (S.ACCEPTED, S.REJECTED, S.WAITLISTED, S.REFERRED)
# Every application past its first submission, judged by where it is now; withdrawn ones left.
REACHED_SUBMISSION = (*SUBMITTED_UNDECIDED, S.INELIGIBLE, *DECIDED)
# The funnel: (stage, the statuses of the applications that reached it); None for all of them.
FUNNEL = [
    (gettext_lazy("Started"), None),
    (S.SUBMITTED.label, REACHED_SUBMISSION),
    (S.ELIGIBLE.label, (S.ELIGIBLE, S.IN_REVIEW, *DECIDED)),
    (S.IN_REVIEW.label, (S.IN_REVIEW, *DECIDED)),
    (gettext_lazy("Decided"), DECIDED),
]


def _in(status: dict[str, int], statuses) -> int:
    """How many applications are in any of `statuses`, from the counts by status."""
    return sum(status.get(s, 0) for s in statuses)


def summary(raw: dict[str, Any]) -> list[tuple[str, int]]:
    """The headline numbers above the charts."""
    status = raw["status"]
    return [
        (_("Applications"), sum(status.values())),
        (_("Submitted"), _in(status, REACHED_SUBMISSION)),
        (_("Decided"), _in(status, DECIDED)),
        (_("Countries"), len(raw["countries"])),
    ]


def funnel(raw: dict[str, Any], scope: Scope) -> Figure:
    status = raw["status"]
    started = sum(status.values())
    rows = []
    for label, statuses in FUNNEL:
        reached = started if statuses is None else _in(status, statuses)
        rows.append([str(label), reached, percent(reached, started)])
    return Figure(
        slug="funnel",
        title=_("From draft to decision"),
        description=_("How many applications reached each stage, of all those started."),
        columns=[_("Stage"), _("Applications"), _("Share of started")],
        rows=rows,
        chart=bars(rows, title=_("Applications reaching each stage")),
        notes=[
            _(
                "An application counts at every stage up to where it is now; withdrawn and "
                "ineligible applications stop where they left."
            )
        ],
    )


def statuses(raw: dict[str, Any], scope: Scope) -> Figure:
    status = raw["status"]
    rows = [[str(s.label), status.get(s.value, 0)] for s in S]
    return Figure(
        slug="status",
        title=_("Applications by status"),
        description=_("Where every application is now."),
        columns=[_("Status"), _("Applications")],
        rows=rows,
        chart=bars(rows, title=_("Applications by status")),
    )


def decisions(raw: dict[str, Any], scope: Scope) -> Figure:
    status = raw["status"]
    decided = _in(status, DECIDED)
    rows = [[str(s.label), status.get(s, 0), percent(status.get(s, 0), decided)] for s in DECIDED]
    return Figure(
        slug="decisions",
        title=_("Decisions"),
        description=_("The decisions taken so far."),
        columns=[_("Decision"), _("Applications"), _("Share of decisions")],
        rows=rows,
        chart=bars(rows, title=_("Decisions")),
    )


def submissions(raw: dict[str, Any], scope: Scope) -> Figure:
    zone = zoneinfo.ZoneInfo(scope.time_zone)
    deadlines = [
        (title, datetime.datetime.fromisoformat(instant).astimezone(zone))
        for title, instant in raw["deadlines"]
    ]
    series = _every_day(raw["submissions"], also=[moment.date() for _t, moment in deadlines])
    # One deadline is simply "the deadline"; several are numbered on the chart and in the notes.
    single = len(deadlines) == 1
    markers = []
    notes = [
        _("Days in the %(zone)s time zone; each application counted on its last submission.")
        % {"zone": scope.time_zone}
    ]
    for i, (title, moment) in enumerate(deadlines, start=1):
        markers.append((moment.date().isoformat(), _("Deadline") if single else str(i)))
        notes.append(
            _("%(prefix)sDeadline of %(call)s: %(moment)s")
            % {
                "prefix": "" if single else f"{i}. ",
                "call": title,
                "moment": moment.strftime("%Y-%m-%d %H:%M %Z"),
            }
        )
    return Figure(
        slug="submissions",
        title=_("Submissions over time"),
        description=_("Applications submitted each day; the dashed line marks the deadline."),
        columns=[_("Day"), _("Submissions")],
        rows=[[day, n] for day, n in series],
        # Most days of a long series have no submission: the page lists the others, the CSV
        # every day (a year of days is the bulk of the page otherwise).
        table_rows=[[day, n] for day, n in series if n],
        table_note=_("Days without a submission are left out here; the CSV lists every day."),
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


def stages(raw: dict[str, Any], scope: Scope) -> Figure:
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
        # Not `bars`: a stage nobody has left yet is drawn at 0.0 but described as 0.
        chart=charts.bar_chart(
            [(label, days or 0.0) for label, _n, days in rows],
            title=_("Mean days in each stage"),
            description=", ".join(f"{label}: {days or 0}" for label, _n, days in rows),
            unit=" " + _("days"),
        ),
        notes=[_("Stays still going are counted up to now.")],
    )
