"""Demo memberships: 30-70 current members a network, admitted through the membership service."""

import datetime
import random
from collections import Counter, defaultdict

from networks.enums import InstitutionType, MembershipTier
from networks.models import Institution, Network
from networks.services import membership_grant

# Who can hold which tier: care providers and institutes are full members; a country with no full
# member designates a national centre or hub; societies and patient groups support.
FULL_MEMBER_TYPES = (
    InstitutionType.HOSPITAL,
    InstitutionType.COMPREHENSIVE_CANCER_CENTRE,
    InstitutionType.RESEARCH_INSTITUTE,
)
AFFILIATED_PARTNER_TYPES = (
    InstitutionType.HOSPITAL,
    InstitutionType.COMPREHENSIVE_CANCER_CENTRE,
    InstitutionType.AUTHORITY,
)
SUPPORTING_MEMBER_TYPES = (
    InstitutionType.SCIENTIFIC_SOCIETY,
    InstitutionType.PATIENT_ORGANISATION,
)

# Fixed dates, not today's, so that a later run seeds the same history.
EARLY_START = datetime.date(2023, 1, 9)
FULL_MEMBERS_FROM = datetime.date(2023, 9, 1)
MEMBERSHIP_DAYS = 640


def memberships_grant(
    *, seed: int, networks: list[Network], institutions: list[Institution]
) -> int:
    """Admit demo institutions to every network; return how many memberships are current.

    Every admission goes through `membership_grant`, so the affiliated-partner rule holds. In each
    network one country first designated an affiliated partner and later gained a full member, so
    the ended membership shows how the rule works.
    """
    current = 0
    for network in networks:
        rng = random.Random(f"{seed}-memberships-{network.slug}")
        current += _network_memberships_grant(rng=rng, network=network, institutions=institutions)
    return current


def _network_memberships_grant(
    *, rng: random.Random, network: Network, institutions: list[Institution]
) -> int:
    providers = _by_country(institutions, FULL_MEMBER_TYPES)
    leads = [
        lead
        for lead in (
            network.work_package.lead_institution,
            network.work_package.co_lead_institution,
        )
        if lead is not None and lead.type in FULL_MEMBER_TYPES
    ]

    # Cover a dozen to twenty countries with full members, larger countries more likely, then fill
    # up from those countries: the heavy tail of the intake shows in every network.
    coverage = rng.randint(12, 20)
    covered = {lead.country.code for lead in leads}
    covered.update(
        _weighted_sample(
            rng,
            {code: len(pool) for code, pool in providers.items() if code not in covered},
            k=max(0, coverage - len(covered)),
        )
    )
    full_members = list(leads)
    for code in sorted(covered):
        pool = [inst for inst in providers.get(code, []) if inst not in full_members]
        if pool:
            full_members.append(rng.choice(pool))
    rest = [
        inst
        for code in sorted(covered)
        for inst in providers.get(code, [])
        if inst not in full_members
    ]
    target = rng.randint(27, 58)
    full_members += rng.sample(rest, k=min(len(rest), max(0, target - len(full_members))))

    # A small country had only an affiliated partner until its one full member joined.
    full_per_country = Counter(inst.country.code for inst in full_members)
    partner_pools = _by_country(institutions, AFFILIATED_PARTNER_TYPES)
    history = sorted(
        code
        for code in covered - {lead.country.code for lead in leads}
        if full_per_country[code] == 1
        and [inst for inst in partner_pools.get(code, []) if inst not in full_members]
    )
    if history:
        code = rng.choice(history)
        partner = rng.choice([i for i in partner_pools[code] if i not in full_members])
        membership_grant(
            institution=partner,
            network=network,
            tier=MembershipTier.AFFILIATED_PARTNER,
            since=EARLY_START + datetime.timedelta(days=rng.randrange(200)),
        )

    for institution in full_members:
        membership_grant(
            institution=institution,
            network=network,
            tier=MembershipTier.FULL_MEMBER,
            since=FULL_MEMBERS_FROM + datetime.timedelta(days=rng.randrange(MEMBERSHIP_DAYS)),
        )

    # Countries with no full member designate one affiliated partner each.
    uncovered = sorted(code for code in partner_pools if code not in covered)
    partners = [
        rng.choice(partner_pools[code])
        for code in rng.sample(uncovered, k=min(len(uncovered), rng.randint(2, 5)))
    ]
    supporters_pool = [
        inst
        for pool in _by_country(institutions, SUPPORTING_MEMBER_TYPES).values()
        for inst in pool
    ]
    supporters = rng.sample(supporters_pool, k=min(len(supporters_pool), rng.randint(1, 4)))
    for tier, members in (
        (MembershipTier.AFFILIATED_PARTNER, partners),
        (MembershipTier.SUPPORTING_MEMBER, supporters),
    ):
        for institution in members:
            membership_grant(
                institution=institution,
                network=network,
                tier=tier,
                since=FULL_MEMBERS_FROM + datetime.timedelta(days=rng.randrange(MEMBERSHIP_DAYS)),
            )
    return len(full_members) + len(partners) + len(supporters)


def _by_country(
    institutions: list[Institution], types: tuple[str, ...]
) -> dict[str, list[Institution]]:
    """Top-level institutions of the given types by country code; units apply via their hospital."""
    pools: dict[str, list[Institution]] = defaultdict(list)
    for institution in institutions:
        if institution.type in types and institution.parent_id is None:
            pools[institution.country.code].append(institution)
    return dict(pools)


def _weighted_sample(rng: random.Random, weights: dict[str, int], *, k: int) -> list[str]:
    """k distinct keys drawn with probability proportional to weight (Efraimidis-Spirakis)."""
    keyed = sorted(
        (
            (rng.random() ** (1 / weight), code)
            for code, weight in sorted(weights.items())
            if weight
        ),
        reverse=True,
    )
    return [code for _key, code in keyed[:k]]
