"""Reads for a call's ranking: applications by weighted score, and the network's composition if a
selection of them were accepted. Each read runs a fixed number of queries, whatever the call's size.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django_countries import countries

from accounts.models import User
from applications.enums import ApplicationStatus
from applications.models import Application
from calls.models import Call, Criterion
from networks.country_groups import (
    ASSOCIATED_COUNTRIES,
    EEA_COUNTRIES,
    EU_MEMBER_STATES,
    countries_in,
)
from networks.enums import InstitutionType, MembershipTier
from networks.models import Institution, Membership
from networks.rules import is_administrator
from reviews.enums import ReviewStatus
from reviews.models import Review, Score
from reviews.scoring import ScoreSummary, summarise, weighted_score

# Applications still in the running, or already taken: what a coordinator ranks.
RANKED_STATUSES = (
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.REFERRED,
    ApplicationStatus.ACCEPTED,
)


def calls_coordinated_by(*, user: User) -> QuerySet[Call]:
    """The calls of the networks the user coordinates (every call for an administrator), with
    their network, suspensions and how many applications they have, submitted and ranked."""
    calls = Call.objects.all()
    if not is_administrator(user):
        calls = calls.filter(network__coordinators=user)
    return (
        calls.select_related("network")
        .prefetch_related("suspensions")
        .annotate(
            application_count=Count(
                "applications", filter=~Q(applications__status=ApplicationStatus.DRAFT)
            ),
            ranked_count=Count("applications", filter=Q(applications__status__in=RANKED_STATUSES)),
        )
        .order_by("network__name", "-opens_at", "pk")
    )


# Scores -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewScores:
    """The submitted reviews of one application: how many, and their weighted scores."""

    done: int
    expected: int
    summary: ScoreSummary

    @property
    def score(self) -> float | None:
        return self.summary.mean


def call_criteria(*, call: Call) -> list[Criterion]:
    """The criteria of the call's criteria set, in their order."""
    return list(
        Criterion.objects.filter(section__criteria_set_id=call.criteria_set_id).order_by(
            "section__position", "section__pk", "position", "pk"
        )
    )


def review_scores(
    *, call: Call, application_ids: Iterable[int], criteria: list[Criterion] | None = None
) -> dict[int, ReviewScores]:
    """Per application, its submitted reviews' weighted scores (reviews/scoring.weighted_score),
    their mean, spread and whether the reviewers disagree past the call's threshold.

    Two queries (three without `criteria`), for any number of applications.
    """
    ids = list(application_ids)
    if criteria is None:
        criteria = call_criteria(call=call)
    submitted = Q(assignment__application_id__in=ids, status=ReviewStatus.SUBMITTED)
    reviews_of: dict[int, list[int]] = defaultdict(list)
    for review_id, application_id in (
        Review.objects.filter(submitted).order_by("pk").values_list("pk", "assignment__application")
    ):
        reviews_of[application_id].append(review_id)
    values: dict[int, dict[int, int]] = defaultdict(dict)
    for review_id, criterion_id, value in Score.objects.filter(
        review__assignment__application_id__in=ids, review__status=ReviewStatus.SUBMITTED
    ).values_list("review_id", "criterion_id", "value"):
        values[review_id][criterion_id] = value
    result = {}
    for application_id in ids:
        scores = [
            score
            for review_id in reviews_of.get(application_id, [])
            if (score := weighted_score(values.get(review_id, {}), criteria)) is not None
        ]
        result[application_id] = ReviewScores(
            done=len(reviews_of.get(application_id, [])),
            expected=call.reviews_per_application,
            summary=summarise(scores, threshold=call.disagreement_threshold),
        )
    return result


# Ranking ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedApplication:
    """One row of the ranking."""

    application: Application
    reviews: ReviewScores

    @property
    def score(self) -> float | None:
        return self.reviews.score

    @property
    def is_accepted(self) -> bool:
        return self.application.status == ApplicationStatus.ACCEPTED


def call_ranking(*, call: Call) -> list[RankedApplication]:
    """The call's applications that are eligible, in review, waitlisted, referred or accepted,
    best weighted score first (those without a score last, then by institution name)."""
    applications = list(
        Application.objects.filter(call=call, status__in=RANKED_STATUSES).select_related(
            "institution"
        )
    )
    scores = review_scores(call=call, application_ids=[a.pk for a in applications])
    rows = [RankedApplication(application=a, reviews=scores[a.pk]) for a in applications]
    rows.sort(
        key=lambda row: (
            row.score is None,
            -(row.score or 0),
            row.application.institution.name.casefold(),
            row.application.pk,
        )
    )
    return rows


def ranking_selection(
    rows: list[RankedApplication], *, ticked: Iterable[int] = (), cut: float | None = None
) -> list[RankedApplication]:
    """The rows a coordinator would accept: those ticked, and those scoring at least `cut`.

    Accepted applications are not part of a selection: they are in the network already.
    """
    ticked = set(ticked)
    return [
        row
        for row in rows
        if not row.is_accepted
        and (
            row.application.pk in ticked
            or (cut is not None and row.score is not None and row.score >= cut)
        )
    ]


# Composition ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """An institution in the network as it would stand: a member already, or newly accepted."""

    institution: Institution
    tier: str
    application: Application | None = None  # set for those the selection brings in

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

    Applies the affiliated-partner rule as `networks.services.membership_grant` would: an
    affiliated partner is refused where its country has a full member, and a full member ends the
    memberships of the affiliated partners of its country. Full and supporting members are taken
    first, so the result does not depend on the order of the selection. One query.
    """
    current = list(
        Membership.objects.current()
        .filter(network_id=call.network_id)
        .select_related("institution")
    )
    members: dict[int, Member] = {m.institution_id: Member(m.institution, m.tier) for m in current}
    membership_of = {m.institution_id: m for m in current}
    before = list(members.values())
    # Who brings a full member to each country: a current member, or a selected application.
    full_member_from: dict[str, Member] = {}
    for member in before:
        if member.tier == MembershipTier.FULL_MEMBER:
            full_member_from.setdefault(member.institution.country.code, member)
    composition_refused: list[Effect] = []
    composition_changed: list[Effect] = []
    ended: list[Effect] = []
    selected = list(selection)
    affiliated_last = sorted(
        selected, key=lambda a: a.tier_requested == MembershipTier.AFFILIATED_PARTNER
    )
    for application in affiliated_last:
        institution = application.institution
        code = institution.country.code
        if institution.pk in members:
            composition_refused.append(
                Effect(
                    _("This institution is already a member of this network."),
                    application=application,
                )
            )
            continue
        if application.tier_requested == MembershipTier.AFFILIATED_PARTNER and (
            code in full_member_from
        ):
            full = full_member_from[code]
            if full.is_new:
                message = _(
                    "Refused as affiliated partner: %(country)s would have a full member, "
                    "%(institution)s, once the selection is accepted (accepted before it, this "
                    "membership would end when the full member joins)."
                ) % {"country": institution.country.name, "institution": full.institution}
            else:
                message = _(
                    "Refused as affiliated partner: %(country)s already has a full member in "
                    "this network, %(institution)s."
                ) % {"country": institution.country.name, "institution": full.institution}
            composition_refused.append(Effect(message, application=application))
            continue
        member = Member(institution, application.tier_requested, application)
        members[institution.pk] = member
        if application.tier_requested == MembershipTier.FULL_MEMBER:
            full_member_from.setdefault(code, member)
            for other in list(members.values()):
                if (
                    other.tier == MembershipTier.AFFILIATED_PARTNER
                    and other.institution.country.code == code
                ):
                    del members[other.institution.pk]
                    ended.append(
                        Effect(
                            _(
                                "The affiliated partner %(partner)s would stop being a member: "
                                "a full member from %(country)s joins, %(institution)s."
                            )
                            % {
                                "partner": other.institution,
                                "country": institution.country.name,
                                "institution": institution,
                            },
                            membership=membership_of.get(other.institution.pk),
                        )
                    )
                    composition_changed.append(
                        Effect(
                            _("Ends the membership of the affiliated partner %(partner)s.")
                            % {"partner": other.institution},
                            application=application,
                        )
                    )
    after = list(members.values())
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
        refused=composition_refused,
        changed=composition_changed,
        ended=ended,
    )


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
