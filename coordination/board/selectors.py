"""Reads for the decision board's pages, each in a fixed number of queries whatever the call's
size."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from applications.enums import ApplicationStatus
from applications.models import Application
from calls.models import Call
from coordination.ranking import RankedApplication, call_ranking, network_composition
from coordination.ranking.composition import Composition
from decisions.enums import ProposalStatus
from decisions.models import Opinion, Proposal
from decisions.services.opinions import OPINION_STATUSES
from networks.models import Membership
from networks.rules import is_administrator
from networks.selectors import networks_coordinated_by


def calls_before_the_board() -> QuerySet[Call]:
    """The calls with proposals, with how many wait for the board; those waiting first."""
    return (
        Call.objects.filter(applications__proposals__isnull=False)
        .select_related("network")
        .annotate(
            waiting=Count(
                "applications__proposals",
                filter=Q(applications__proposals__status=ProposalStatus.PROPOSED),
            ),
            proposals=Count("applications__proposals"),
        )
        .order_by("-waiting", "network__name", "title")
    )


@dataclass(frozen=True)
class BoardRow:
    proposal: Proposal
    rank: int | None
    score: float | None
    opinion: Opinion | None


@dataclass(frozen=True)
class BoardView:
    waiting: list[BoardRow]
    handled: list[BoardRow]
    ranking: list[RankedApplication]
    composition: Composition


def call_before_the_board(*, call: Call) -> BoardView:
    """A call's proposals (waiting, then handled), each with its place in the ranking and the
    network's opinion; the ranking; and the network as the acceptances not yet in force (waiting
    for the board, or approved with their letter unreleased) would make it."""
    proposals = list(
        Proposal.objects.filter(application__call=call)
        .exclude(status=ProposalStatus.SUPERSEDED)
        .select_related(
            "application__institution", "application__call", "proposed_by", "board_by", "decision"
        )
        .order_by("application__institution__name", "-proposed_at", "pk")
    )
    opinions = {
        opinion.application_id: opinion
        for opinion in Opinion.objects.filter(application__call=call).select_related("given_by")
    }
    ranking = call_ranking(call=call)
    places = {row.application.pk: (place, row.score) for place, row in enumerate(ranking, 1)}
    rows = [
        BoardRow(
            proposal=p,
            rank=places.get(p.application_id, (None, None))[0],
            score=places.get(p.application_id, (None, None))[1],
            opinion=opinions.get(p.application_id),
        )
        for p in proposals
    ]
    # Acceptances not in force yet: waiting, or approved with their letter still unreleased.
    members = set(
        Membership.objects.current()
        .filter(network_id=call.network_id)
        .values_list("institution_id", flat=True)
    )
    accepting = [
        row.proposal.application
        for row in rows
        if row.proposal.outcome == ApplicationStatus.ACCEPTED
        and row.proposal.status in (ProposalStatus.PROPOSED, ProposalStatus.APPROVED)
        and row.proposal.application.institution_id not in members
    ]
    return BoardView(
        waiting=[row for row in rows if row.proposal.is_waiting],
        handled=[row for row in rows if not row.proposal.is_waiting],
        ranking=ranking,
        composition=network_composition(call=call, selection=accepting),
    )


def calls_for_opinion(*, user: User) -> QuerySet[Call]:
    """The calls whose applications the user may give the network's opinion on."""
    if is_administrator(user):
        return Call.objects.select_related("network")
    return (
        Call.objects.filter(
            Q(network__in=networks_coordinated_by(user=user)) | Q(decision_rules__panel=user)
        )
        .select_related("network")
        .distinct()
    )


def applications_for_opinion(*, call: Call) -> list[Application]:
    """The call's applications being weighed, with their opinion, by institution name."""
    return list(
        Application.objects.filter(call=call, status__in=OPINION_STATUSES)
        .select_related("institution", "network_opinion__given_by")
        .order_by("institution__name", "pk")
    )
