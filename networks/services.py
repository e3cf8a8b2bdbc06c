"""Writes on networks, institutions and memberships."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from networks.enums import MembershipTier
from networks.membership_rules import GrantVerdict, membership_grant_verdict
from networks.models import Institution, Membership, Network


@transaction.atomic
def membership_grant(
    *,
    institution: Institution,
    network: Network,
    tier: MembershipTier,
    since: datetime.date,
) -> Membership:
    """Admit an institution to a network in a tier, applying the ERN affiliated-partner rule.

    An affiliated partner may be designated only by a country with no full member in the network,
    and its membership ends when a full member from its country joins that network.
    """
    # Lock the network so two concurrent admissions see each other's memberships.
    Network.objects.select_for_update().get(pk=network.pk)
    verdict = _grant_verdict(institution=institution, network=network, tier=tier)
    problems = _problems(verdict, institution=institution)
    if problems:
        raise ValidationError(problems)
    membership = Membership.objects.create(
        institution=institution, network=network, tier=tier, since=since
    )
    for affiliated in verdict.ending:
        membership_end(
            membership=affiliated,
            until=max(since, affiliated.since),
            reason=_("A full member from %(country)s joined the network: %(institution)s.")
            % {"country": institution.country.name, "institution": institution},
        )
    return membership


def membership_grant_problems(
    *, institution: Institution, network: Network, tier: MembershipTier
) -> list[str]:
    """Why an institution cannot be admitted to a network in a tier now; empty when it can."""
    verdict = _grant_verdict(institution=institution, network=network, tier=tier)
    return _problems(verdict, institution=institution)


def _grant_verdict(
    *, institution: Institution, network: Network, tier: MembershipTier
) -> GrantVerdict[Membership]:
    """The affiliated-partner rule on the network's current members from the institution's
    country (the institution among them, if it is a member already). One query."""
    country_members = (
        Membership.objects.current()
        .filter(network=network, institution__country=institution.country.code)
        .select_related("institution")
    )
    return membership_grant_verdict(
        institution=institution, tier=tier, country_members=country_members
    )


def _problems(verdict: GrantVerdict, *, institution: Institution) -> list[str]:
    problems = []
    if verdict.full_member is not None:
        problems.append(
            _(
                "An affiliated partner can only be designated by a country with no full member "
                "in this network, and %(country)s has one."
            )
            % {"country": institution.country.name}
        )
    if verdict.already_member:
        problems.append(_("This institution is already a member of this network."))
    return problems


def membership_end(*, membership: Membership, until: datetime.date, reason: str) -> Membership:
    """End a current membership on a date, with the reason recorded."""
    if not membership.is_current:
        raise ValidationError(_("This membership has already ended."))
    if until < membership.since:
        raise ValidationError(_("A membership cannot end before it began."))
    membership.until = until
    membership.reason_ended = reason
    membership.save(update_fields=["until", "reason_ended"])
    return membership
