"""Reads for national endorsers, scoped to the endorser who asks: the applications of their
country, where each endorsement stands, and what the affiliated-partner rule makes of it."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import ApplicationStatus, DocumentPurpose
from applications.models import Application, ApplicationDocument
from calls.models import Call
from endorsements.enums import ENDORSED_STATES, EndorsementState
from endorsements.models import NationalEndorser
from networks.enums import MembershipTier
from networks.membership_rules import membership_grant_verdict
from networks.models import Institution, Membership

S = ApplicationStatus
# What an endorser reads of an application's status: never a decision (it may not be released).
DECIDED = (S.ACCEPTED, S.REJECTED, S.WAITLISTED, S.REFERRED)


def endorsers_of_country(*, country: str) -> QuerySet[NationalEndorser]:
    """The active national endorsers of a country whose accounts are active."""
    return NationalEndorser.objects.filter(
        country=country, active=True, user__is_active=True
    ).select_related("user")


def endorser_country_q(*, user: User, prefix: str = "") -> Q:
    """Objects (through `prefix`, say "application__") of applications, ever submitted, from the
    countries the user endorses for; matches nothing for anyone else."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    countries = NationalEndorser.objects.filter(user=user, active=True).values("country")
    return Q(
        **{
            f"{prefix}institution__country__in": countries,
            f"{prefix}submitted_at__isnull": False,
        }
    )


def applications_for_endorser(*, user: User) -> QuerySet[Application]:
    """The applications of the endorser's country, once submitted, with what the pages show."""
    letters = ApplicationDocument.objects.filter(
        purpose=DocumentPurpose.ENDORSEMENT, superseded_at__isnull=True
    )
    return (
        Application.objects.filter(endorser_country_q(user=user))
        .select_related(
            "call__network",
            "institution",
            "national_endorsement__endorser__user",
            "national_endorsement__letter",
        )
        .prefetch_related(
            "call__suspensions", Prefetch("documents", letters, to_attr="current_letters")
        )
        # The call's texts, read by no endorser's page, once per row.
        .defer("call__body", "call__summary")
        .order_by("call__title", "institution__name", "pk")
    )


def endorsement_state_of(application: Application) -> EndorsementState:
    """Where the application's endorsement stands. Its record is written when its submission is
    routed; until then a submitted letter reads as uploaded and not yet confirmed."""
    record = getattr(application, "national_endorsement", None)
    if record is not None:
        return EndorsementState(record.state)
    letters = getattr(application, "current_letters", None)
    if letters is None:
        letters = application.documents.filter(
            purpose=DocumentPurpose.ENDORSEMENT, superseded_at__isnull=True
        )
    return EndorsementState.LETTER_UPLOADED if letters else EndorsementState.PENDING


def endorser_status_label(application: Application) -> str:
    """The application's status as an endorser may read it: a decision reads as being decided."""
    if application.status in DECIDED:
        return _("Being decided")
    return S(application.status).label


@dataclass(frozen=True)
class Candidate:
    """An application endorsed in the call, standing for the member it would make."""

    institution: Institution
    tier: str


@dataclass
class CountryStanding:
    """The endorser's country in one call's network: its current members and the
    applications endorsed in the call."""

    call: Call
    members: list[Membership] = field(default_factory=list)
    endorsed: list[Application] = field(default_factory=list)

    @property
    def full_members(self) -> int:
        return sum(1 for m in self.members if m.tier == MembershipTier.FULL_MEMBER)

    @property
    def endorsed_institutions(self) -> int:
        """Members of the network from the country and endorsed applicants, each counted once."""
        return len(
            {m.institution_id for m in self.members} | {a.institution_id for a in self.endorsed}
        )


def consequence_of(application: Application, standing: CountryStanding) -> str:
    """What endorsing the application means under the affiliated-partner rule, given the
    country's members and the other applications endorsed in the call."""
    others = [
        Candidate(institution=a.institution, tier=a.tier_requested)
        for a in standing.endorsed
        if a.pk != application.pk
    ]
    verdict = membership_grant_verdict(
        institution=application.institution,
        tier=application.tier_requested,
        country_members=[*standing.members, *others],
    )
    country = application.institution.country.name
    if verdict.already_member:
        return _("Already a member of this network.")
    if verdict.full_member is not None:
        return _(
            "Could not join as an affiliated partner: %(institution)s is or would be a full "
            "member from %(country)s, and an affiliated partner comes only from a country with "
            "no full member."
        ) % {"institution": verdict.full_member.institution.name, "country": country}
    if application.tier_requested == MembershipTier.AFFILIATED_PARTNER:
        return _(
            "Would be an affiliated partner for %(country)s, until a full member from "
            "%(country)s joins the network."
        ) % {"country": country}
    if verdict.ending:
        return _(
            "Would be a full member; the affiliated partnership of %(institutions)s would end."
        ) % {"institutions": ", ".join(sorted(m.institution.name for m in verdict.ending))}
    if application.tier_requested == MembershipTier.FULL_MEMBER:
        return _("Would be a full member.")
    return _("Would be a supporting member.")


def country_standings(
    *, endorser: NationalEndorser, applications: list[Application]
) -> dict[int, CountryStanding]:
    """The standing of the endorser's country in each call of `applications` (all of the
    country's applications in those calls), by call id. One query for the members."""
    calls = {a.call_id: a.call for a in applications}
    networks = {call.network_id for call in calls.values()}
    by_network = defaultdict(list)
    for membership in (
        Membership.objects.current()
        .filter(network__in=networks, institution__country=endorser.country.code)
        .select_related("institution")
    ):
        by_network[membership.network_id].append(membership)
    standings = {
        pk: CountryStanding(call=call, members=by_network[call.network_id])
        for pk, call in calls.items()
    }
    for application in applications:
        if endorsement_state_of(application) in ENDORSED_STATES:
            standings[application.call_id].endorsed.append(application)
    return standings


def calls_for_endorser(*, user: User) -> QuerySet[Call]:
    """The calls with applications from the endorser's country, for the list's filter."""
    return (
        Call.objects.filter(endorser_country_q(user=user, prefix="applications__"))
        # What the filter shows: DISTINCT over every column compared the calls' whole texts.
        .only("title", "slug")
        .distinct()
        .order_by("title")
    )
