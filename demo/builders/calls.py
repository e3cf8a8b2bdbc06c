"""Demo calls: for every network one closed, one open and one upcoming call, anchored to today."""

import datetime
import random
import zoneinfo
from dataclasses import dataclass

from django.conf import settings

from calls.enums import DocumentKind, FileFormat
from calls.models import Call, CriteriaSet, RequiredDocument
from calls.services import call_suspend
from demo.builders.criteria import ERN_STYLE_NAME, MATURITY_GRID_NAME
from networks.enums import CountryGroup, InstitutionType, MembershipTier
from networks.models import Network

# The networks whose criteria were published as a maturity grid (see domain.md).
MATURITY_GRID_NETWORKS = {"omics", "hi-tech-medical-resources"}

OPENS_AT = datetime.time(9, 0)
# As in the ERN calls: the deadline is the end of the day, local time.
CLOSES_AT = datetime.time(23, 59)

FULL = MembershipTier.FULL_MEMBER.value
AFFILIATED = MembershipTier.AFFILIATED_PARTNER.value
SUPPORTING = MembershipTier.SUPPORTING_MEMBER.value


@dataclass(frozen=True)
class Eligibility:
    description: str
    country_groups: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    institution_types: tuple[str, ...] = ()
    tiers: tuple[str, ...] = (FULL,)


# Calls cycle through these, so the demo shows every way a call can admit applicants.
ELIGIBILITIES = (
    Eligibility(
        "institutions from the EU Member States and EEA countries",
        country_groups=(CountryGroup.EU, CountryGroup.EEA),
        tiers=(FULL, AFFILIATED),
    ),
    Eligibility(
        "institutions from the EU and EEA, Ukraine and Switzerland",
        country_groups=(CountryGroup.EU, CountryGroup.EEA),
        countries=("UA", "CH"),
        tiers=(FULL, AFFILIATED),
    ),
    Eligibility(
        "hospitals, cancer centres and research institutes from the EU, EEA and associated "
        "countries",
        country_groups=(CountryGroup.EU, CountryGroup.EEA, CountryGroup.ASSOCIATED),
        institution_types=(
            InstitutionType.HOSPITAL,
            InstitutionType.COMPREHENSIVE_CANCER_CENTRE,
            InstitutionType.RESEARCH_INSTITUTE,
        ),
    ),
    Eligibility(
        "every kind of institution from any country; societies and patient organisations may "
        "join as supporting members",
        tiers=(FULL, AFFILIATED, SUPPORTING),
    ),
    Eligibility(
        "hospitals and cancer centres from the EU Member States",
        country_groups=(CountryGroup.EU,),
        institution_types=(InstitutionType.HOSPITAL, InstitutionType.COMPREHENSIVE_CANCER_CENTRE),
        tiers=(FULL, AFFILIATED),
    ),
)

# kind, title, description, formats, maximum size in MB, mandatory
DOCUMENTS = (
    (
        DocumentKind.ENDORSEMENT_LETTER,
        "National letter of endorsement",
        "Issued by the health authority of your country, naming your institution.",
        [FileFormat.PDF],
        5,
        True,
    ),
    (
        DocumentKind.DIRECTOR_DECLARATION,
        "Declaration of the director or CEO",
        "Signed by the head of the institution, committing it to the network's work.",
        [FileFormat.PDF],
        5,
        True,
    ),
    (
        DocumentKind.REPRESENTATIVE_DECLARATION,
        "Declaration of the representative",
        "Signed by the person who will represent the institution in the network.",
        [FileFormat.PDF],
        5,
        True,
    ),
    (
        DocumentKind.SELF_ASSESSMENT,
        "Self-assessment",
        "The completed self-assessment template, with the evidence it refers to.",
        [FileFormat.XLSX, FileFormat.PDF, FileFormat.ODT],
        20,
        True,
    ),
    (
        DocumentKind.CERTIFICATE,
        "Certificates",
        "Accreditation or certification documents, if you hold any.",
        [FileFormat.PDF, FileFormat.PNG, FileFormat.JPEG],
        10,
        False,
    ),
)


def calls_create(
    *,
    seed: int,
    networks: list[Network],
    criteria_sets: dict[str, CriteriaSet],
    today: datetime.date,
) -> list[Call]:
    """Create three published calls per network: closed, open now, and upcoming.

    Windows are set in the call's time zone relative to `today`, so there is always an open call
    whenever the demo is seeded; the offsets come from the seed. The first network's closed call
    was suspended for a month, as the 2019 ERN call was.
    """
    zone_name = settings.DEFAULT_CALL_TIME_ZONE
    zone = zoneinfo.ZoneInfo(zone_name)
    calls = []
    for index, network in enumerate(networks):
        rng = random.Random(f"{seed}-calls-{network.slug}")
        set_name = MATURITY_GRID_NAME if network.slug in MATURITY_GRID_NETWORKS else ERN_STYLE_NAME
        closed_opens = today - datetime.timedelta(days=rng.randint(330, 420))
        open_opens = today - datetime.timedelta(days=rng.randint(3, 30))
        upcoming_opens = today + datetime.timedelta(days=rng.randint(20, 60))
        windows = (
            ("closed", closed_opens, closed_opens + datetime.timedelta(days=rng.randint(56, 75))),
            ("open", open_opens, today + datetime.timedelta(days=rng.randint(21, 60))),
            (
                "upcoming",
                upcoming_opens,
                upcoming_opens + datetime.timedelta(days=rng.randint(56, 90)),
            ),
        )
        for round_number, (label, opens_on, closes_on) in enumerate(windows, 1):
            eligibility = ELIGIBILITIES[(index + round_number) % len(ELIGIBILITIES)]
            call = Call(
                network=network,
                title=(
                    f"{network.short_name}: call for expressions of interest, round {round_number}"
                ),
                slug=f"{network.slug}-{opens_on.year}-{label}",
                summary=(
                    f"Round {round_number} of the call to join the {network.name}. "
                    f"Open to {eligibility.description}."
                ),
                body=_call_body(network=network, eligibility=eligibility),
                is_published=True,
                time_zone=zone_name,
                opens_at=datetime.datetime.combine(opens_on, OPENS_AT, tzinfo=zone),
                closes_at=datetime.datetime.combine(closes_on, CLOSES_AT, tzinfo=zone),
                admitted_country_groups=[str(group) for group in eligibility.country_groups],
                admitted_countries=list(eligibility.countries),
                admitted_institution_types=[str(kind) for kind in eligibility.institution_types],
                tiers_offered=list(eligibility.tiers),
                criteria_set=criteria_sets[set_name],
                reviews_per_application=rng.choice([2, 3, 3, 4]),
            )
            call.full_clean()
            call.save()
            calls.append(call)
            RequiredDocument.objects.bulk_create(
                _required_documents(call=call, with_certificates=set_name == MATURITY_GRID_NAME)
            )
            if index == 0 and label == "closed":
                suspension_starts = datetime.datetime.combine(
                    opens_on + datetime.timedelta(days=21), datetime.time(0, 0), tzinfo=zone
                )
                call_suspend(
                    call=call,
                    starts_at=suspension_starts,
                    ends_at=suspension_starts + datetime.timedelta(days=30),
                    reason=(
                        "Suspended while the national endorsement procedure was revised; the "
                        "deadline moved 30 days later."
                    ),
                )
    return calls


def _required_documents(*, call: Call, with_certificates: bool) -> list[RequiredDocument]:
    documents = []
    for position, (kind, title, description, formats, size, mandatory) in enumerate(DOCUMENTS, 1):
        if kind == DocumentKind.CERTIFICATE and not with_certificates:
            continue
        documents.append(
            RequiredDocument(
                call=call,
                kind=kind,
                title=title,
                description=description,
                mandatory=mandatory,
                allowed_formats=[str(value) for value in formats],
                max_size_mb=size,
                position=position,
            )
        )
    return documents


def _call_body(*, network: Network, eligibility: Eligibility) -> str:
    tiers = ", ".join(MembershipTier(tier).label.lower() for tier in eligibility.tiers)
    return (
        f"{network.scope}\n\n"
        f"This call is open to {eligibility.description}. Membership tiers offered: {tiers}.\n\n"
        "Apply online: complete the self-assessment against the call's criteria and upload the "
        "national letter of endorsement, the director's declaration and the representative's "
        "declaration. Applications submitted after the deadline are not eligible.\n\n"
        "After the deadline the secretariat checks eligibility, reviewers assess each application "
        "against the criteria, the network gives its opinion and the decision board decides."
    )
