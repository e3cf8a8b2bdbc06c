"""The dashboards' figures: aggregate queries only, a fixed number of them whatever the data.

Each function returns plain codes and numbers (no model instances, no translated labels), so the
whole set can be stored once (dashboards/models.py, FigureSnapshot) and shown in any language.
`figures_compute` computes a set, for the background refresh (dashboards/services.py);
`snapshot_read` is what a page reads: the stored set, however stale, in one query.
"""

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Floor, Least, Now, TruncDate
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application, StatusChange
from dashboards.models import FigureRefresh, FigureSnapshot
from dashboards.scope import Scope
from decisions.enums import DISCLOSED, LetterOutcome
from decisions.models import Letter
from decisions.selectors import with_disclosed_status
from networks.country_groups import country_group_expression
from networks.models import Membership
from reviews.enums import ACTIVE_ASSIGNMENT, AssignmentStatus, ReviewStatus
from reviews.models import Assignment, Review, ReviewerProfile

S = ApplicationStatus
# The stages an application waits in, in the order shown; decided, ineligible and withdrawn
# applications have left. Drafts come first: their time is measured differently, see below.
WAITING_STAGES = [
    S.DRAFT,
    S.SUBMITTED,
    S.ELIGIBLE,
    S.IN_REVIEW,
    S.WAITLISTED,
    S.REFERRED,
    S.INFORMATION_REQUESTED,
]


@dataclass(frozen=True)
class Snapshot:
    figures: dict[str, Any]
    computed_at: datetime.datetime
    stale: bool  # the data changed since: newer figures are on their way


def snapshot_read(*, scope: Scope) -> Snapshot | None:
    """The stored figures of `scope` and whether they are stale, in one query; None if none."""
    changed = FigureRefresh.objects.filter(changed_at__gt=OuterRef("computed_at"))
    row = (
        FigureSnapshot.objects.filter(scope_key=scope.cache_key)
        .annotate(stale=Exists(changed))
        .values_list("figures", "computed_at", "stale")
        .first()
    )
    return Snapshot(*row) if row else None


def figures_compute(*, scope: Scope) -> dict[str, Any]:
    applications = scope.applications().order_by()
    return {
        "status": status_counts(applications),
        "countries": _counted(applications, "institution__country"),
        "country_groups": _counted(
            applications.annotate(group=country_group_expression("institution__country")), "group"
        ),
        "institution_types": _counted(applications, "institution__type"),
        "submissions": submissions_by_day(applications, time_zone=scope.time_zone),
        "deadlines": deadlines(scope),
        "stages": time_in_stages(applications),
        "reviews": review_progress(applications),
        "reviewer_load": reviewer_load(applications, scope),
        "scores": score_distribution(applications),
        "coverage": country_coverage(scope),
        "computed_at": timezone.now().isoformat(),
    }


def status_counts(applications: QuerySet[Application]) -> dict[str, int]:
    """Applications by status, a decision counted only once its letter is released (before,
    where the applicant last saw it): dashboards are read by others than the deciders."""
    rows = (
        with_disclosed_status(applications)
        .values("disclosed_status")
        .annotate(n=Count("pk"))
        .values_list("disclosed_status", "n")
    )
    return dict(rows)


def _counted(applications: QuerySet[Application], field: str) -> list[tuple[str, int]]:
    """(value, applications) for each value of `field`, the largest first."""
    rows = (
        applications.values(field)
        .annotate(n=Count("pk"))
        .order_by("-n", field)
        .values_list(field, "n")
    )
    return [(str(value), n) for value, n in rows]


def submissions_by_day(
    applications: QuerySet[Application], *, time_zone: str
) -> list[tuple[str, int]]:
    """(day, applications last submitted that day), days in the scope's time zone."""
    rows = (
        applications.filter(submitted_at__isnull=False)
        .annotate(day=TruncDate("submitted_at", tzinfo=zoneinfo.ZoneInfo(time_zone)))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
        .values_list("day", "n")
    )
    return [(day.isoformat(), n) for day, n in rows]


def deadlines(scope: Scope) -> list[tuple[str, str]]:
    """(call title, deadline) of the calls covered, suspensions counted."""
    calls = scope.calls().prefetch_related("suspensions").order_by("closes_at")
    return [(call.title, call.deadline.isoformat()) for call in calls]


def changes_disclosed(changes: QuerySet[StatusChange]) -> QuerySet[StatusChange]:
    """The changes of state the applicants have been told of: a decision whose letter is not
    released is left out, and so is its undoing (the decision board sent it back), so an
    application in review stays in review, for the figures, until its decision is released."""
    released = Letter.objects.filter(decision=OuterRef("pk"), status__in=DISCLOSED)
    undone_released = Letter.objects.filter(
        application=OuterRef("application"),
        decision__to_status=OuterRef("from_status"),
        decision__at__lte=OuterRef("at"),
        status__in=DISCLOSED,
    )
    return changes.exclude(Q(to_status__in=LetterOutcome.values) & ~Exists(released)).exclude(
        Q(from_status__in=LetterOutcome.values) & ~Exists(undone_released)
    )


def time_in_stages(applications: QuerySet[Application]) -> list[tuple[str, int, float | None]]:
    """(stage, times entered, mean days spent) for each stage an application waits in.

    A stay lasts from the change into the stage to the next change out of it, or until now for
    applications still there. Drafts count from the day the application was started to its
    first change of state, so the draft figure is the time taken to first submit.
    """
    duration = DurationField()
    left_draft = StatusChange.objects.filter(
        application=OuterRef("pk"), from_status=S.DRAFT
    ).order_by("at", "pk")
    left = Coalesce(Subquery(left_draft.values("at")[:1]), Now(), output_field=DateTimeField())
    drafts = applications.aggregate(
        n=Count("pk"),
        mean=Avg(ExpressionWrapper(left - F("created_at"), output_field=duration)),
    )
    visible = changes_disclosed(StatusChange.objects.all())
    left_stage = visible.filter(
        application=OuterRef("application"),
        from_status=OuterRef("to_status"),
        at__gte=OuterRef("at"),
    ).exclude(pk=OuterRef("pk"))
    left = Coalesce(
        Subquery(left_stage.order_by("at", "pk").values("at")[:1]),
        Now(),
        output_field=DateTimeField(),
    )
    stays = (
        visible.filter(application__in=applications.values("pk"), to_status__in=WAITING_STAGES[1:])
        .order_by()
        .values("to_status")
        .annotate(
            n=Count("pk"),
            mean=Avg(ExpressionWrapper(left - F("at"), output_field=duration)),
        )
        .values_list("to_status", "n", "mean")
    )
    by_stage = {S.DRAFT.value: (drafts["n"], drafts["mean"])}
    by_stage.update({stage: (n, mean) for stage, n, mean in stays})
    result = []
    for stage in WAITING_STAGES:
        n, mean = by_stage.get(stage.value, (0, None))
        days = round(mean.total_seconds() / 86400, 1) if mean is not None and n else None
        result.append((stage.value, n, days))
    return result


def review_progress(applications: QuerySet[Application]) -> dict[str, int]:
    """Assignments by state, reviews submitted and overdue, and applications short of reviews."""
    now = timezone.now()
    submitted = Q(review__status=ReviewStatus.SUBMITTED)
    active = Q(status__in=ACTIVE_ASSIGNMENT)
    progress = (
        Assignment.objects.filter(application__in=applications.values("pk"))
        .order_by()
        .aggregate(
            proposed=Count("pk", filter=Q(status=AssignmentStatus.PROPOSED)),
            accepted=Count("pk", filter=Q(status=AssignmentStatus.ACCEPTED)),
            declined=Count("pk", filter=Q(status=AssignmentStatus.DECLINED)),
            withdrawn=Count("pk", filter=Q(status=AssignmentStatus.WITHDRAWN)),
            submitted=Count("pk", filter=submitted),
            in_progress=Count("pk", filter=active & ~submitted),
            overdue=Count("pk", filter=active & ~submitted & Q(due_at__lt=now)),
        )
    )
    done = (
        Assignment.objects.filter(application=OuterRef("pk"), review__status=ReviewStatus.SUBMITTED)
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    progress["short_of_reviews"] = (
        applications.filter(status=S.IN_REVIEW)
        .alias(done=Coalesce(Subquery(done), 0))
        .filter(done__lt=F("call__reviews_per_application"))
        .count()
    )
    return progress


def reviewer_load(applications: QuerySet[Application], scope: Scope) -> list[tuple[int, int]]:
    """(active assignments in scope, reviewers with that many), over the reviewers of the
    networks covered and anyone else assigned in scope."""
    in_scope = Assignment.objects.filter(
        reviewer=OuterRef("pk"),
        status__in=ACTIVE_ASSIGNMENT,
        application__in=applications.values("pk"),
    ).order_by()
    load = in_scope.values("reviewer").annotate(n=Count("pk")).values("n")
    pool = ReviewerProfile.networks.through.objects.filter(
        reviewerprofile=OuterRef("pk"), network__in=scope.networks().values("pk")
    )
    rows = (
        ReviewerProfile.objects.filter(Q(is_active=True) & Exists(pool) | Exists(in_scope))
        .order_by()
        .annotate(load=Coalesce(Subquery(load), 0))
        .values("load")
        .annotate(n=Count("pk"))
        .order_by("load")
        .values_list("load", "n")
    )
    return [(int(load), n) for load, n in rows]


def score_distribution(applications: QuerySet[Application]) -> list[tuple[int, int]]:
    """(lowest score of a ten-point band, submitted reviews whose weighted score falls in it).

    The weighted score out of 100 is kept on each review when it is saved (reviews/scoring.py).
    """
    rows = (
        Review.objects.filter(
            status=ReviewStatus.SUBMITTED,
            score__isnull=False,
            assignment__application__in=applications.values("pk"),
        )
        .order_by()
        .annotate(band=Least(Floor(F("score") / 10.0) * 10, Value(90.0)))
        .values("band")
        .annotate(n=Count("pk"))
        .order_by("band")
        .values_list("band", "n")
    )
    return [(int(band), n) for band, n in rows]


def country_coverage(scope: Scope) -> dict[str, Any]:
    """The networks covered and, per network, its current members by country."""
    networks = list(scope.networks().values_list("pk", "short_name", "slug"))
    members = (
        Membership.objects.current()
        .filter(network__in=[pk for pk, _, _ in networks])
        .order_by()
        .values("network_id", "institution__country")
        .annotate(n=Count("pk"))
        .values_list("network_id", "institution__country", "n")
    )
    by_network: dict[int, dict[str, int]] = {pk: {} for pk, _, _ in networks}
    for network_id, country, n in members:
        by_network[network_id][str(country)] = n
    return {
        "networks": [
            {"pk": pk, "short_name": name, "slug": slug, "members": by_network[pk]}
            for pk, name, slug in networks
        ]
    }
