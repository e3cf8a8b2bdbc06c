"""Reads of networks and their members, for the public pages, dashboards and coordinators."""

from collections import defaultdict

from django.db.models import QuerySet

from networks.models import Membership, Network


def networks_coordinated_by(*, user) -> QuerySet[Network]:
    """The networks the person coordinates; every network for an administrator. The query form
    of `networks.rules.coordinates_network`: filter other rows with `network__in=` this."""
    if user.is_active and user.is_superuser:
        return Network.objects.all()
    return Network.objects.filter(coordinators=user, coordinators__is_active=True)


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
