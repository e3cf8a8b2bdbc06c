"""Reads of calls for the public pages, each in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from calls.enums import CallStatus
from calls.models import Call
from networks.models import Network


def calls_public() -> QuerySet[Call]:
    """Published calls with their network and suspensions, ready for status and deadline."""
    return (
        Call.objects.published()
        .select_related("network__work_package")
        .prefetch_related("suspensions")
        .order_by("-opens_at", "pk")
    )


def calls_filtered(*, network: Network | None = None, status: str = "") -> list[Call]:
    """Published calls, optionally of one network and in one status at this instant.

    The status follows from the clock and the suspensions, so it is filtered here, in Python,
    over the (tens of) calls of the Joint Action.
    """
    calls = calls_public()
    if network is not None:
        calls = calls.filter(network=network)
    if not status:
        return list(calls)
    now = timezone.now()
    return [call for call in calls if call.status_at(now) == status]


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
