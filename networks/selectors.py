"""Reads of networks and their members, for the public pages and dashboards."""

from collections import defaultdict

from networks.models import Membership, Network


def network_members_by_country(*, network: Network) -> list[tuple[str, list[Membership]]]:
    """The network's current members grouped by country name, countries in alphabetical order."""
    members = (
        Membership.objects.current()
        .filter(network=network)
        .select_related("institution")
        .order_by("institution__name")
    )
    by_country: dict[str, list[Membership]] = defaultdict(list)
    for membership in members:
        by_country[membership.institution.country.name].append(membership)
    return sorted(by_country.items())
