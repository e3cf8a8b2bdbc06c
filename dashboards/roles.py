"""EC observers, declared for the two-factor requirement (accounts/second_factor.py)."""

from accounts import roles
from accounts.second_factor import group_member, role_register


def register() -> None:
    role_register("observer", lambda: group_member(roles.EC_OBSERVERS))
