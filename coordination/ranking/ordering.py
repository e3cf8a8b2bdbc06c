"""What a coordinator ranks: the calls they run, a call's applications best score first, and the
selection they would accept."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from applications.enums import ApplicationStatus
from applications.models import Application
from calls.models import Call
from coordination.ranking.scores import ReviewScores, review_scores
from networks.rules import is_administrator
from networks.selectors import networks_coordinated_by

# Applications still in the running, or already taken: what a coordinator ranks.
RANKED_STATUSES = (
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.REFERRED,
    ApplicationStatus.ACCEPTED,
)


def calls_coordinated_by(*, user: User) -> QuerySet[Call]:
    """The calls of the networks the user coordinates (every call for an administrator), with
    their network, suspensions and how many applications they have, submitted and ranked."""
    calls = Call.objects.all()
    if not is_administrator(user):
        calls = calls.filter(network__in=networks_coordinated_by(user=user))
    return (
        calls.select_related("network")
        .prefetch_related("suspensions")
        .annotate(
            application_count=Count(
                "applications", filter=~Q(applications__status=ApplicationStatus.DRAFT)
            ),
            ranked_count=Count("applications", filter=Q(applications__status__in=RANKED_STATUSES)),
        )
        .order_by("network__name", "-opens_at", "pk")
    )


@dataclass(frozen=True)
class RankedApplication:
    """One row of the ranking."""

    application: Application
    reviews: ReviewScores

    @property
    def score(self) -> float | None:
        return self.reviews.score

    @property
    def is_accepted(self) -> bool:
        return self.application.status == ApplicationStatus.ACCEPTED


def call_ranking(*, call: Call) -> list[RankedApplication]:
    """The call's applications that are eligible, in review, waitlisted, referred or accepted,
    best weighted score first (those without a score last, then by institution name)."""
    applications = list(
        Application.objects.filter(call=call, status__in=RANKED_STATUSES).select_related(
            "institution"
        )
    )
    scores = review_scores(call=call, application_ids=[a.pk for a in applications])
    rows = [RankedApplication(application=a, reviews=scores[a.pk]) for a in applications]
    rows.sort(
        key=lambda row: (
            row.score is None,
            -(row.score or 0),
            row.application.institution.name.casefold(),
            row.application.pk,
        )
    )
    return rows


def ranking_selection(
    rows: list[RankedApplication], *, ticked: Iterable[int] = (), cut: float | None = None
) -> list[RankedApplication]:
    """The rows a coordinator would accept: those ticked, and those scoring at least `cut`.

    Accepted applications are not part of a selection: they are in the network already.
    """
    ticked = set(ticked)
    return [
        row
        for row in rows
        if not row.is_accepted
        and (
            row.application.pk in ticked
            or (cut is not None and row.score is not None and row.score >= cut)
        )
    ]
