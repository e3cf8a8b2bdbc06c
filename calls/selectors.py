"""Reads of calls for the public pages, each in a fixed number of queries; and the criteria
sets a user may change."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from calls.enums import CallStatus
from calls.models import Call, CriteriaSet
from networks.models import Network
from networks.rules import is_administrator
from networks.selectors import networks_coordinated_by


def calls_public() -> QuerySet[Call]:
    """Published calls with their network and suspensions, ready for status and deadline."""
    return (
        Call.objects.published()
        .select_related("network__work_package")
        .prefetch_related("suspensions")
        .order_by("-opens_at", "pk")
    )


def calls_filtered(*, network: Network | None = None, status: str = "") -> list[Call]:
    """Published calls, optionally of one network and in one status at this instant: open ones
    first (nearest deadline first), then suspended, upcoming (soonest first) and closed ones
    (latest first).

    The status follows from the clock and the suspensions, so it is filtered and ordered here,
    in Python, over the (tens of) calls of the Joint Action.
    """
    calls = calls_public()
    if network is not None:
        calls = calls.filter(network=network)
    now = timezone.now()
    statuses = {call.pk: call.status_at(now) for call in calls}
    chosen = [call for call in calls if not status or statuses[call.pk] == status]

    def order(call: Call):
        rank = CALL_LIST_ORDER.index(statuses[call.pk])
        if statuses[call.pk] == CallStatus.CLOSED:
            return (rank, -call.deadline.timestamp(), call.pk)
        if statuses[call.pk] == CallStatus.UPCOMING:
            return (rank, call.opens_at.timestamp(), call.pk)
        return (rank, call.deadline.timestamp(), call.pk)

    return sorted(chosen, key=order)


# What a visitor looks for first on the list of calls.
CALL_LIST_ORDER = [CallStatus.OPEN, CallStatus.SUSPENDED, CallStatus.UPCOMING, CallStatus.CLOSED]


def networks_with_calls() -> QuerySet[Network]:
    """Every network with its work package, leads and published calls fetched in bulk."""
    return Network.objects.select_related(
        "work_package__lead_institution", "work_package__co_lead_institution"
    ).prefetch_related(
        Prefetch("calls", queryset=Call.objects.published().prefetch_related("suspensions"))
    )


def open_call_count(network: Network) -> int:
    """How many of a network's prefetched calls are open now."""
    now = timezone.now()
    return sum(1 for call in network.calls.all() if call.status_at(now) == CallStatus.OPEN)


def criteria_sets_editable_by(*, user) -> QuerySet[CriteriaSet]:
    """The criteria sets the user may change, and add sections and criteria to: those not
    locked, of a network the user coordinates (any network, or none, for administrators).

    A shared set (no network) is kept by administrators: a coordinator changing it would change
    other networks' calls. A locked set is copied as a new version instead.
    """
    sets = CriteriaSet.objects.filter(locked_at__isnull=True)
    if not is_administrator(user):
        sets = sets.filter(network__in=networks_coordinated_by(user=user))
    return sets
