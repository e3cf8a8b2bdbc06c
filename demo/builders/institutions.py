"""Demo institutions: planned deterministically from a seed, then bulk-created with their units."""

import datetime
import random
from dataclasses import dataclass, field

from django.utils.text import slugify

from demo.builders.names import (
    COMMON_TEMPLATES,
    COUNTRIES,
    DISCIPLINES,
    LOCAL_TEMPLATES,
    SAINTS,
    TYPE_WEIGHTS,
    UNIT_NAMES,
)
from networks.enums import CertificationBody, InstitutionType
from networks.models import Certification, Institution

BASE_INSTITUTION_COUNT = 600
# Crockford base32 without i, l, o and u, as ROR identifiers use it.
ROR_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
# The TLD reserved for examples (RFC 2606): demo websites can never point at a real site.
DEMO_WEBSITE_SUFFIX = ".example/"


@dataclass(frozen=True)
class CertificationPlan:
    body: str
    title: str
    valid_from: datetime.date
    valid_until: datetime.date | None


@dataclass
class InstitutionPlan:
    """One institution to create; a unit names its hospital by index into the plan list."""

    name: str
    country: str
    type: str
    city: str
    acronym: str = ""
    website: str = ""
    ror_id: str = ""
    parent_index: int | None = None
    certifications: list[CertificationPlan] = field(default_factory=list)


def country_counts(*, total: int) -> dict[str, int]:
    """Split `total` institutions between the demo countries by weight, each getting at least one.

    Largest remainders, not sampling, so the heavy tail (Italy, Germany, Spain first) holds at
    every scale.
    """
    weights = {code: spec.weight for code, spec in COUNTRIES.items()}
    weight_sum = sum(weights.values())
    exact = {code: total * weight / weight_sum for code, weight in weights.items()}
    counts = {code: max(1, int(share)) for code, share in exact.items()}
    by_remainder = sorted(exact, key=lambda code: (-(exact[code] - int(exact[code])), code))
    for code in by_remainder[: max(0, total - sum(counts.values()))]:
        counts[code] += 1
    return counts


def ror_id_make(*, number: int) -> str:
    """A ROR-shaped identifier for a number: 0, six base32 characters, the ISO 7064 checksum."""
    checksum = 98 - (number * 100) % 97
    digits = ""
    for _position in range(6):
        number, remainder = divmod(number, 32)
        digits = ROR_ALPHABET[remainder] + digits
    return f"0{digits}{checksum:02d}"


def institution_plans(
    *, seed: int, scale: float = 1.0, taken_names: frozenset[str] = frozenset()
) -> list[InstitutionPlan]:
    """The demo institutions for a seed and scale; the same arguments give the same list.

    `taken_names` are names already in the database (the Joint Action's lead institutions), which
    the plan avoids so that no two institutions share a name.
    """
    rng = random.Random(f"{seed}-institutions")
    total = max(len(COUNTRIES), round(BASE_INSTITUTION_COUNT * scale))
    used = set(taken_names)
    types = list(TYPE_WEIGHTS)
    type_weights = list(TYPE_WEIGHTS.values())
    plans: list[InstitutionPlan] = []
    for country, count in country_counts(total=total).items():
        for _index in range(count):
            kind = rng.choices(types, weights=type_weights)[0]
            plans.append(_institution_plan(rng=rng, country=country, kind=kind, used=used))

    ror_numbers = rng.sample(range(32**5, 32**6), k=len(plans))
    for plan, number in zip(plans, ror_numbers, strict=True):
        if plan.type != InstitutionType.PATIENT_ORGANISATION and rng.random() < 0.3:
            plan.ror_id = ror_id_make(number=number)
        plan.certifications = _certification_plans(rng=rng, plan=plan)

    # A few departments apply in their own name: units with their hospital as parent.
    care_providers = [
        index
        for index, plan in enumerate(plans)
        if plan.type in (InstitutionType.HOSPITAL, InstitutionType.COMPREHENSIVE_CANCER_CENTRE)
    ]
    unit_count = min(len(care_providers), max(1, round(len(plans) * 0.025)))
    for parent_index in sorted(rng.sample(care_providers, k=unit_count)):
        parent = plans[parent_index]
        name = f"{rng.choice(UNIT_NAMES)}, {parent.name}"
        if name in used:
            continue
        used.add(name)
        plans.append(
            InstitutionPlan(
                name=name,
                country=parent.country,
                type=InstitutionType.HOSPITAL,
                city=parent.city,
                parent_index=parent_index,
            )
        )
    return plans


def institutions_create(*, plans: list[InstitutionPlan]) -> list[Institution]:
    """Bulk-create planned institutions, their units and certifications, in the plans' order."""
    institutions = [
        Institution(
            name=plan.name,
            acronym=plan.acronym,
            country=plan.country,
            type=plan.type,
            city=plan.city,
            website=plan.website,
            ror_id=plan.ror_id,
        )
        for plan in plans
    ]
    top_level = [
        inst for inst, plan in zip(institutions, plans, strict=True) if plan.parent_index is None
    ]
    Institution.objects.bulk_create(top_level)
    units = []
    for institution, plan in zip(institutions, plans, strict=True):
        if plan.parent_index is not None:
            institution.parent = institutions[plan.parent_index]
            units.append(institution)
    Institution.objects.bulk_create(units)
    Certification.objects.bulk_create(
        Certification(
            institution=institution,
            body=certification.body,
            title=certification.title,
            valid_from=certification.valid_from,
            valid_until=certification.valid_until,
        )
        for institution, plan in zip(institutions, plans, strict=True)
        for certification in plan.certifications
    )
    return institutions


def _institution_plan(
    *, rng: random.Random, country: str, kind: str, used: set[str]
) -> InstitutionPlan:
    spec = COUNTRIES[country]
    name = city = ""
    for _attempt in range(60):
        language, cities = rng.choice(spec.places)
        city = rng.choice(cities)
        templates = COMMON_TEMPLATES.get(kind) or LOCAL_TEMPLATES[language][kind]
        name = rng.choice(templates).format(
            city=city,
            saint=rng.choice(SAINTS[language]),
            adjective=spec.adjective,
            discipline=rng.choice(DISCIPLINES),
        )
        if name not in used:
            break
    else:
        # Only at large scales do the templates run out; a site number keeps names unique.
        base, number = name, 2
        while name in used:
            name, number = f"{base}, site {number}", number + 1
    used.add(name)
    acronym = _acronym(name) if rng.random() < 0.4 else ""
    domain = slugify(name)[:50].strip("-")
    return InstitutionPlan(
        name=name,
        country=country,
        type=kind,
        city=city,
        acronym=acronym,
        website=f"https://www.{domain}{DEMO_WEBSITE_SUFFIX}",
    )


def _acronym(name: str) -> str:
    initials = [word[0] for word in name.replace(",", " ").split() if word[:1].isupper()]
    return "".join(initials)[:8] if len(initials) >= 2 else ""


def _certification_plans(*, rng: random.Random, plan: InstitutionPlan) -> list[CertificationPlan]:
    """Certifications a care provider may hold; some have lapsed, to show validity on the pages."""
    if plan.type not in (InstitutionType.HOSPITAL, InstitutionType.COMPREHENSIVE_CANCER_CENTRE):
        return []
    is_centre = plan.type == InstitutionType.COMPREHENSIVE_CANCER_CENTRE
    candidates: list[tuple[str, str, int | None]] = []  # body, title, years valid
    if is_centre and rng.random() < 0.6:
        candidates.append(
            (
                CertificationBody.OECI,
                rng.choice(["Comprehensive Cancer Centre", "Clinical Cancer Centre"]),
                5,
            )
        )
    if plan.country == "DE" and rng.random() < (0.7 if is_centre else 0.15):
        title = "Onkologisches Spitzenzentrum" if is_centre else "Onkologisches Zentrum"
        candidates.append((CertificationBody.DKH, title, 4))
    if is_centre and rng.random() < 0.1:
        candidates.append(
            (CertificationBody.EU_CCC, "EU comprehensive cancer centre (pilot designation)", None)
        )
    if rng.random() < 0.08:
        candidates.append((CertificationBody.ISO, "ISO 9001:2015 quality management", 3))
    certifications = []
    for body, title, years in candidates:
        valid_from = datetime.date(2018, 1, 1) + datetime.timedelta(days=rng.randrange(7 * 365))
        valid_until = (
            valid_from + datetime.timedelta(days=round(365.25 * years) - 1) if years else None
        )
        certifications.append(CertificationPlan(body, title, valid_from, valid_until))
    return certifications
