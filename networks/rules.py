"""Who runs which network: permission predicates (django-rules), used by views and the admin."""

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from networks.selectors import networks_coordinated_by


@rules.predicate
def is_administrator(user) -> bool:
    return bool(user and user.is_active and user.is_superuser)


@rules.predicate
def coordinates_network(user, network) -> bool:
    """The user coordinates this network (administrators count as coordinating every one)."""
    if network is None or not user.is_authenticated:
        return False
    return (
        is_administrator(user) or networks_coordinated_by(user=user).filter(pk=network.pk).exists()
    )


def coordinator_required(user, network) -> None:
    """Refuse anyone but a coordinator of the network (or an administrator): the one check every
    coordinator's service makes."""
    if not coordinates_network(user, network):
        raise PermissionDenied(_("Only a coordinator of this network may do this."))
