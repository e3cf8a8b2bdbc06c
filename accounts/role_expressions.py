"""The roles accounts knows of, declared for the two-factor requirement (accounts/second_factor.py):
administrators, staff, network coordinators and applicants (people who act for an institution)."""

from django.db.models import Exists, OuterRef, Q

from accounts import roles
from accounts.models import Affiliation
from accounts.second_factor import group_member, role_register
from networks.models import Network


def register() -> None:
    role_register("administrator", lambda: Q(is_superuser=True))
    role_register("staff", lambda: Q(is_staff=True))
    role_register(
        "coordinator",
        lambda: (
            Exists(Network.coordinators.through.objects.filter(user=OuterRef("pk")))
            | group_member(roles.NETWORK_COORDINATORS)
        ),
    )
    role_register("applicant", lambda: Exists(Affiliation.objects.filter(user=OuterRef("pk"))))
