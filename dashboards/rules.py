"""Who sees the dashboards, and who is a read-only EC observer, as django-rules predicates.

Dashboards show only aggregate figures about institutions, countries and calls: no person's name,
email or document. EC observers, administrators and network coordinators may open them.
Coordinators see every network's figures, the same aggregates the Commission sees, so they can
compare their network with the others; they decide only on their own network's applications in
the admin.

The roles are the person's roles asked in one query per request (accounts/person_roles.py):
the navigation asks on every page, and the observer middleware may ask again. Where the answer
does not depend on them (visitors, staff, administrators) they are not looked up at all.
"""

import rules
from django.contrib.auth.models import Group

from accounts import roles
from accounts.person_roles import person_role_register, person_roles
from networks.models import Network

person_role_register(
    "ec_observer", lambda user: Group.objects.filter(user=user, name=roles.EC_OBSERVERS)
)
person_role_register(
    "network_coordinator", lambda user: Network.coordinators.through.objects.filter(user=user)
)


def _roles(user) -> tuple[bool, bool]:
    """(is an EC observer, coordinates a network), asked once per request."""
    found = person_roles(user)
    return found["ec_observer"], found["network_coordinator"]


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_observer_only(user) -> bool:
    """An EC observer with no other role that writes: read-only everywhere."""
    # Staff and administrators write whatever their groups: no need to look the roles up.
    if not _signed_in(user) or user.is_superuser or user.is_staff:
        return False
    observer, coordinator = _roles(user)
    return observer and not coordinator


@rules.predicate
def can_view_dashboards(user) -> bool:
    return _signed_in(user) and (user.is_superuser or any(_roles(user)))


rules.add_perm("dashboards.view_dashboards", can_view_dashboards)
# The same, as a rule: the navigation tests it without going through the model permissions.
rules.add_rule("dashboards.view_dashboards", can_view_dashboards)
# Observers only read: the navigation leaves out the applicants' areas they cannot open.
rules.add_rule("dashboards.observer_only", is_observer_only)
