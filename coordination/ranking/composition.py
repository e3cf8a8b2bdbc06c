"""The network of a call as it would stand if a selection of applications were accepted, against
the countries the call admits. One query for the memberships; the rest is read in memory."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django_countries import countries

from applications.models import Application
from calls.models import Call
from networks.country_groups import (
    ASSOCIATED_COUNTRIES,
    EEA_COUNTRIES,
    EU_MEMBER_STATES,
    countries_in,
)
from networks.enums import InstitutionType, MembershipTier
from networks.membership_rules import membership_grant_verdict
from networks.models import Institution, Membership


@dataclass(frozen=True)
class Member:
    """An institution in the network as it would stand: a member already, or newly accepted."""

    institution: Institution
    tier: str
    application: Application | None = None  # set for those the selection brings in
    membership: Membership | None = None  # set for those who are members already

    @property
    def is_new(self) -> bool:
        return self.application is not None


@dataclass(frozen=True)
class Effect:
    """What the affiliated-partner rule (networks.services.membership_grant) would do."""

    message: str
    application: Application | None = None  # a selected application refused or changed
    membership: Membership | None = None  # a current membership that would end


@dataclass(frozen=True)
class CountryLine:
    code: str
    name: str
    members: int
    new: int
    full_members: int
    affiliated_partners: int
    supporting_members: int


@dataclass(frozen=True)
class CountLine:
    label: str
    before: int
    after: int


@dataclass
class Composition:
    """The network if the selection were accepted as it stands, against the call's countries."""

    members: list[Member]
    covered: list[CountryLine]
    not_covered: list[tuple[str, str]]
    every_country_admitted: bool
    other_countries_admitted: bool
    institution_types: list[CountLine]
    tiers: list[CountLine]
    refused: list[Effect] = field(default_factory=list)
    changed: list[Effect] = field(default_factory=list)
    ended: list[Effect] = field(default_factory=list)

    def effects_by_application(self) -> dict[int, list[Effect]]:
        effects: dict[int, list[Effect]] = defaultdict(list)
        for effect in self.refused + self.changed:
            effects[effect.application.pk].append(effect)
        return effects


def call_countries(*, call: Call) -> tuple[frozenset[str], bool, bool]:
    """The country codes the call admits, as `calls.services.call_eligibility` reads them.

    Returns (codes, every country admitted, other countries admitted). A call that admits every
    country, or the "other" group, cannot be listed country by country: its named codes are then
    the EU Member States, EEA and associated countries, plus any it names.
    """
    groups = list(call.admitted_country_groups)
    codes = {country.code for country in call.admitted_countries}
    if not groups and not codes:
        return EU_MEMBER_STATES | EEA_COUNTRIES | ASSOCIATED_COUNTRIES, True, True
    other = False
    for group in groups:
        members = countries_in(group)
        if members is None:
            other = True
        else:
            codes |= members
    return frozenset(codes), False, other


def network_composition(*, call: Call, selection: Iterable[Application]) -> Composition:
    """The call's network if the selected applications were accepted now, in the tier asked for.

    Applies the affiliated-partner rule of `networks.services.membership_grant` (through
    `networks.membership_rules`) to each application in turn, as if those before it had been
    accepted. Full and supporting members are taken first, so the result does not depend on the
    order of the selection. One query.
    """
    current = (
        Membership.objects.current()
        .filter(network_id=call.network_id)
        .select_related("institution")
    )
    # The network's members by country, each country's in the order they joined it.
    members_in: dict[str, list[Member]] = defaultdict(list)
    for membership in current:
        members_in[membership.institution.country.code].append(
            Member(membership.institution, membership.tier, membership=membership)
        )
    before = [member for group in members_in.values() for member in group]
    refused: list[Effect] = []
    changed: list[Effect] = []
    ended: list[Effect] = []
    affiliated_last = sorted(
        selection, key=lambda a: a.tier_requested == MembershipTier.AFFILIATED_PARTNER
    )
    for application in affiliated_last:
        institution = application.institution
        country = institution.country
        verdict = membership_grant_verdict(
            institution=institution,
            tier=application.tier_requested,
            country_members=members_in[country.code],
        )
        if verdict.already_member:
            refused.append(
                Effect(
                    _("This institution is already a member of this network."),
                    application=application,
                )
            )
            continue
        if verdict.full_member is not None:
            refused.append(
                Effect(
                    _affiliated_refusal(institution, verdict.full_member), application=application
                )
            )
            continue
        for partner in verdict.ending:
            ended.append(
                Effect(
                    _(
                        "The affiliated partner %(partner)s would stop being a member: "
                        "a full member from %(country)s joins, %(institution)s."
                    )
                    % {
                        "partner": partner.institution,
                        "country": country.name,
                        "institution": institution,
                    },
                    membership=partner.membership,
                )
            )
            changed.append(
                Effect(
                    _("Ends the membership of the affiliated partner %(partner)s.")
                    % {"partner": partner.institution},
                    application=application,
                )
            )
        members_in[country.code] = [
            *(member for member in members_in[country.code] if member not in verdict.ending),
            Member(institution, application.tier_requested, application),
        ]
    after = [member for group in members_in.values() for member in group]
    codes, every_country, other_countries = call_countries(call=call)
    return Composition(
        members=sorted(
            after, key=lambda m: (m.institution.country.name, m.institution.name.casefold())
        ),
        covered=_country_lines(after),
        not_covered=sorted(
            (
                (code, countries.name(code))
                for code in codes - {m.institution.country.code for m in after}
            ),
            key=lambda pair: pair[1],
        ),
        every_country_admitted=every_country,
        other_countries_admitted=other_countries,
        institution_types=_count_lines(
            InstitutionType.choices, before, after, lambda m: m.institution.type
        ),
        tiers=_count_lines(MembershipTier.choices, before, after, lambda m: m.tier),
        refused=refused,
        changed=changed,
        ended=ended,
    )


def _affiliated_refusal(institution: Institution, full_member: Member) -> str:
    """Why the institution cannot be an affiliated partner: its country's full member."""
    if full_member.is_new:
        message = _(
            "Refused as affiliated partner: %(country)s would have a full member, "
            "%(institution)s, once the selection is accepted (accepted before it, this "
            "membership would end when the full member joins)."
        )
    else:
        message = _(
            "Refused as affiliated partner: %(country)s already has a full member in "
            "this network, %(institution)s."
        )
    return message % {"country": institution.country.name, "institution": full_member.institution}


def _country_lines(members: list[Member]) -> list[CountryLine]:
    by_country: dict[str, list[Member]] = defaultdict(list)
    for member in members:
        by_country[member.institution.country.code].append(member)
    lines = [
        CountryLine(
            code=code,
            name=countries.name(code),
            members=len(group),
            new=sum(1 for m in group if m.is_new),
            full_members=sum(1 for m in group if m.tier == MembershipTier.FULL_MEMBER),
            affiliated_partners=sum(
                1 for m in group if m.tier == MembershipTier.AFFILIATED_PARTNER
            ),
            supporting_members=sum(1 for m in group if m.tier == MembershipTier.SUPPORTING_MEMBER),
        )
        for code, group in by_country.items()
    ]
    return sorted(lines, key=lambda line: line.name)


def _count_lines(choices, before: list[Member], after: list[Member], key) -> list[CountLine]:
    counted_before = Counter(key(m) for m in before)
    counted_after = Counter(key(m) for m in after)
    return [
        CountLine(label=label, before=counted_before[value], after=counted_after[value])
        for value, label in choices
        if counted_before[value] or counted_after[value]
    ]
