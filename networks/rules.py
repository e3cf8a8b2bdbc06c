"""Who runs which network: permission predicates (django-rules), used by views and the admin."""

import rules


@rules.predicate
def is_administrator(user) -> bool:
    return bool(user and user.is_active and user.is_superuser)


@rules.predicate
def coordinates_network(user, network) -> bool:
    """The user coordinates this network (administrators count as coordinating every one)."""
    if network is None:
        return False
    return is_administrator(user) or network.coordinators.filter(pk=user.pk).exists()
