"""Exports of a call for its coordinators: applications, reviews and decisions, as CSV or XLSX.

Each export is a `Table` (headers, then rows read in a fixed number of queries) written by
`csv_lines` (streamed) or `xlsx_bytes`. Text that a spreadsheet would read as a formula is
neutralised. Times are given in the call's time zone, named in the column heading.

What goes in: what a coordinator needs to rule and report. The representative's and deputy's names
and addresses are there (coordinators write to them); reviewers appear by name only; no answers or
documents, which stay behind the permission-checked pages.
"""

import datetime
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from applications.enums import ApplicationStatus
from applications.models import Application, StatusChange
from calls.models import Call
from coordination.ranking import call_criteria, review_scores
from networks.country_groups import country_group
from networks.enums import CountryGroup, InstitutionType, MembershipTier
from reviews.enums import AssignmentStatus, Recommendation, ReviewStatus
from reviews.models import Assignment
from spreadsheets.cells import CsvWriter, Echo, xlsx_cell

FORMATS = ("csv", "xlsx")

# Rulings recorded as status changes: eligibility and the decision on membership.
DECISION_STATUSES = (
    ApplicationStatus.INELIGIBLE,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.REFERRED,
)


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: Iterable[list]


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def _person(user) -> tuple[str, str]:
    return (user.name, user.email) if user is not None else ("", "")


def _in_zone(heading: str, call: Call) -> str:
    """A heading for times, naming the call's time zone they are given in."""
    return heading % {"zone": _("(time zone %(zone)s)") % {"zone": call.time_zone}}


def _application_headers() -> list[str]:
    return [_("Application"), _("Institution"), _("Country code")]


def _application_cells(application: Application) -> list[str]:
    """Which application a row is about: the headings of `_application_headers`."""
    institution = application.institution
    return [str(application.public_id), institution.name, institution.country.code]


def applications_table(call: Call) -> Table:
    """Every submitted application of the call (drafts left out), with its review summary."""
    applications = list(
        Application.objects.filter(call=call)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("institution", "representative", "deputy")
        .order_by("institution__name", "pk")
    )
    scores = review_scores(call=call, application_ids=[a.pk for a in applications])

    def rows():
        for application in applications:
            institution = application.institution
            reviews = scores[application.pk]
            summary = reviews.summary
            yield [
                str(application.public_id),
                institution.name,
                institution.acronym,
                institution.country.name,
                institution.country.code,
                _label(CountryGroup, country_group(institution.country.code)),
                _label(InstitutionType, institution.type),
                institution.city,
                _label(MembershipTier, application.tier_requested),
                _label(ApplicationStatus, application.status),
                application.submitted_at,
                *_person(application.representative),
                *_person(application.deputy),
                reviews.done,
                reviews.expected,
                summary.mean,
                summary.median,
                summary.spread,
                _yes_no(summary.disagreement),
            ]

    return Table(
        title=_("Applications"),
        headers=[
            _("Application"),
            _("Institution"),
            _("Acronym"),
            _("Country"),
            _("Country code"),
            _("Country group"),
            _("Institution type"),
            _("City"),
            _("Tier asked for"),
            _("Status"),
            _in_zone(_("Last submitted %(zone)s"), call),
            _("Representative"),
            _("Representative's email"),
            _("Deputy"),
            _("Deputy's email"),
            _("Reviews submitted"),
            _("Reviews expected"),
            _("Mean weighted score (of 100)"),
            _("Median weighted score"),
            _("Spread"),
            _("Reviewers disagree"),
        ],
        rows=rows(),
    )


def reviews_table(call: Call) -> Table:
    """Every assignment of the call's applications, with its review's scores per criterion."""
    criteria = call_criteria(call=call)
    scored = [criterion for criterion in criteria if criterion.is_scored]
    assignments = (
        Assignment.objects.filter(application__call=call)
        .select_related("application__institution", "reviewer__user", "review")
        .prefetch_related("review__scores")
        .order_by("application__institution__name", "application_id", "assigned_at", "pk")
    )

    def rows():
        for assignment in assignments.iterator(chunk_size=500):
            review = getattr(assignment, "review", None)
            values = (
                {score.criterion_id: score.value for score in review.scores.all()}
                if review is not None
                else {}
            )
            submitted = review is not None and review.status == ReviewStatus.SUBMITTED
            yield [
                *_application_cells(assignment.application),
                assignment.reviewer.user.name or str(assignment.reviewer.user),
                _label(AssignmentStatus, assignment.status),
                assignment.assigned_at,
                assignment.due_at,
                _label(ReviewStatus, review.status) if review is not None else _("not started"),
                review.submitted_at if review is not None else None,
                _label(Recommendation, review.recommendation) if submitted else "",
                review.score if submitted else None,
                *[values.get(criterion.pk) for criterion in scored],
                review.comments if submitted else "",
            ]

    return Table(
        title=_("Reviews"),
        headers=[
            *_application_headers(),
            _("Reviewer"),
            _("Assignment"),
            _in_zone(_("Assigned %(zone)s"), call),
            _in_zone(_("Due %(zone)s"), call),
            _("Review"),
            _in_zone(_("Review submitted %(zone)s"), call),
            _("Recommendation"),
            _("Weighted score (of 100)"),
            *[
                _("%(code)s (%(low)d–%(high)d)")
                % {"code": criterion.code, "low": criterion.score_min, "high": criterion.score_max}
                for criterion in scored
            ],
            _("Comments"),
        ],
        rows=rows(),
    )


def decisions_table(call: Call) -> Table:
    """Every ruling on the call's applications (eligibility and decisions), oldest first."""
    changes = (
        StatusChange.objects.filter(application__call=call, to_status__in=DECISION_STATUSES)
        .select_related("application__institution", "actor")
        .order_by("at", "pk")
    )

    def rows():
        for change in changes.iterator(chunk_size=500):
            yield [
                *_application_cells(change.application),
                _label(MembershipTier, change.application.tier_requested),
                _label(ApplicationStatus, change.from_status) if change.from_status else "",
                _label(ApplicationStatus, change.to_status),
                change.at,
                (change.actor.name or change.actor.email) if change.actor else _("the portal"),
                change.reason,
            ]

    return Table(
        title=_("Decisions"),
        headers=[
            *_application_headers(),
            _("Tier asked for"),
            _("From"),
            _("Decision"),
            _in_zone(_("At %(zone)s"), call),
            _("By"),
            _("Reason"),
        ],
        rows=rows(),
    )


# The exports of a call, by kind, in the order the admin offers them.
TABLES: dict[str, Callable[[Call], Table]] = {
    "applications": applications_table,
    "reviews": reviews_table,
    "decisions": decisions_table,
}
KINDS = tuple(TABLES)


def call_export(*, call: Call, kind: str) -> Table:
    """The export of one kind ("applications", "reviews" or "decisions") of a call."""
    return TABLES[kind](call)


# Writers ----------------------------------------------------------------------------------------


def _text_cell(value, zone: datetime.tzinfo):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.astimezone(zone).isoformat(timespec="minutes")
    return value


def csv_lines(table: Table, *, call: Call) -> Iterator[str]:
    """The table as CSV lines, UTF-8 with a byte-order mark so that spreadsheets read accents."""
    writer = CsvWriter(Echo())
    yield "\ufeff" + writer.writerow(table.headers)
    for row in table.rows:
        yield writer.writerow([_text_cell(value, call.zone) for value in row])


def xlsx_bytes(table: Table, *, call: Call) -> bytes:
    """The table as an XLSX workbook of one sheet; times are local to the call's time zone."""
    from openpyxl import Workbook

    def cell(value):
        if isinstance(value, datetime.datetime):
            # XLSX has no time zones: local time, the zone named in the heading.
            return value.astimezone(call.zone).replace(tzinfo=None)
        return xlsx_cell(sheet, value)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(table.title)[:31])
    sheet.append([cell(header) for header in table.headers])
    for row in table.rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
