"""The ERN affiliated-partner rule, decided on members already loaded: no queries in here.

`networks.services` applies it to a network's memberships in the database; the ranking
(`applications.ranking.composition`) to the network as a selection of applications would make it.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from networks.enums import MembershipTier
from networks.models import Institution


class Standing(Protocol):
    """A member as the rule reads it: a `Membership`, or the ranking's `Member`."""

    institution: Institution
    tier: str


M = TypeVar("M", bound=Standing)


@dataclass(frozen=True)
class GrantVerdict(Generic[M]):
    """What admitting an institution to a network in a tier would meet, and would do."""

    already_member: bool
    # The full member of the institution's country that bars it as an affiliated partner.
    full_member: M | None = None
    # The affiliated partners of its country whose membership ends as it joins as a full member.
    ending: list[M] = field(default_factory=list)


def membership_grant_verdict(
    *, institution: Institution, tier: str, country_members: Iterable[M]
) -> GrantVerdict[M]:
    """The rule for admitting `institution` in `tier`, given the network's current members from
    the institution's country (the first full member among them is the one that bars it).

    An affiliated partner may be designated only by a country with no full member in the
    network, and its membership ends when a full member from its country joins that network.
    """
    country_members = list(country_members)
    already_member = any(member.institution.pk == institution.pk for member in country_members)
    full_member = None
    ending = []
    if tier == MembershipTier.AFFILIATED_PARTNER:
        full_member = next(
            (member for member in country_members if member.tier == MembershipTier.FULL_MEMBER),
            None,
        )
    elif tier == MembershipTier.FULL_MEMBER:
        ending = [
            member for member in country_members if member.tier == MembershipTier.AFFILIATED_PARTNER
        ]
    return GrantVerdict(already_member=already_member, full_member=full_member, ending=ending)
