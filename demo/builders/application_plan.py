"""The plan of each demo application and the texts they are written from."""

import datetime
import random
from dataclasses import dataclass, field

from applications.enums import Actor, ApplicationStatus
from applications.models import (
    Application,
)
from applications.services.transitions import application_transition
from calls.models import Call

# The accounts builder keeps the one rule for which institution the demo applicant represents.
from networks.enums import InstitutionType, MembershipTier
from networks.models import Institution
from reviews.enums import Recommendation
from reviews.models import Assignment

S = ApplicationStatus
DAY = datetime.timedelta(days=1)
# Released letters are sent through the real service, into memory: nothing leaves the machine,
# whatever email backend the demo runs with.
IN_MEMORY_EMAIL = "django.core.mail.backends.locmem.EmailBackend"

TIER_BY_TYPE = {
    InstitutionType.HOSPITAL: MembershipTier.FULL_MEMBER,
    InstitutionType.COMPREHENSIVE_CANCER_CENTRE: MembershipTier.FULL_MEMBER,
    InstitutionType.RESEARCH_INSTITUTE: MembershipTier.FULL_MEMBER,
    InstitutionType.AUTHORITY: MembershipTier.AFFILIATED_PARTNER,
    InstitutionType.SCIENTIFIC_SOCIETY: MembershipTier.SUPPORTING_MEMBER,
    InstitutionType.PATIENT_ORGANISATION: MembershipTier.SUPPORTING_MEMBER,
}
GIVEN_NAMES = (
    "Anna", "Marco", "Sofia", "Jan", "Elena", "Pierre", "Katarzyna", "Luis", "Ingrid", "Tomás",
    "Maria", "Dimitris", "Eva", "Lukas", "Chiara", "Mikael", "Ana", "Pieter", "Zsófia", "Andrei",
)  # fmt: skip
SURNAMES = (
    "Rossi", "Müller", "García", "Dubois", "Kowalski", "Jansen", "Silva", "Papadopoulos",
    "Novák", "Nielsen", "Horvat", "Popescu", "Virtanen", "Murphy", "Berg", "Ferrari",
    "Schmidt", "Martínez", "Lambert", "Nagy",
)  # fmt: skip
KEYWORDS = (
    "multidisciplinary board", "clinical trials", "rare tumours", "survivorship care",
    "genomic profiling", "palliative care", "paediatric oncology", "telemedicine",
    "radiotherapy", "patient registry", "psycho-oncology", "screening",
)  # fmt: skip
TEXT_ANSWERS = (
    "{name} treats patients referred from across the region in a multidisciplinary team that "
    "meets weekly; every new case is discussed before treatment starts.",
    "Our team of {staff} specialists runs a dedicated outpatient service and shares its "
    "protocols with partner hospitals through a regional network.",
    "{name} has taken part in European projects for ten years and leads two national working "
    "groups; we would share our registry data and training programme with the network.",
    "We are building the service up: the pathway is defined, volumes are growing, and we seek "
    "the network's support to reach the standards of its leading members.",
)
REVIEW_COMMENTS = {
    Recommendation.FAVOURABLE: "A mature, well-documented service with convincing volumes and "
    "a clear plan for contributing to the network.",
    Recommendation.FAVOURABLE_WITH_RESERVATIONS: "Solid clinical activity; the research and "
    "collaboration sections are thinner than the criteria expect.",
    Recommendation.UNFAVOURABLE: "The evidence of activity is limited and several criteria are "
    "answered in general terms only.",
}
DECISION_REASONS = {
    S.ACCEPTED: "The application meets the network's criteria; the reviewers' scores rank it "
    "among the strongest of the call.",
    S.WAITLISTED: "The application meets the criteria, but the places of this call went to "
    "applications with higher scores; it is kept on the waiting list.",
    S.REJECTED: "The reviewers found that the application does not yet meet the criteria on "
    "volume of activity and expertise.",
}
INELIGIBLE_REASON = (
    "The national letter of endorsement is not issued by the health authority, as the call "
    "requires."
)
WITHDRAWN_REASON = "We will apply in a later round, once our new unit is running."


@dataclass
class Plan:
    """One application to make, what becomes of it, and the times of its status changes."""

    call: Call
    institution: Institution
    fate: str  # draft, withdrawn, ineligible, submitted, eligible, in_review or decided
    quality: float  # 0 to 1: how good the application is, which the answers and scores follow
    rng: random.Random
    representative: object = None
    outcome: ApplicationStatus | None = None
    application: Application | None = None
    submitted_at: datetime.datetime | None = None
    reviewed_at: datetime.datetime | None = None
    # One per status change, in the order the changes are made.
    times: list[datetime.datetime] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)


def status_move(plan: Plan, to_status, at, *, actor=None, kind=Actor.SYSTEM, reason="", extra=None):
    """Change the status through the service, and plan the time the change is shown at."""
    application_transition(
        application=plan.application,
        to_status=to_status,
        actor=actor,
        actor_kind=kind,
        reason=reason,
        extra_fields=extra,
    )
    plan.times.append(at)


def instant_after(rng: random.Random, start, limit, low: float, high: float) -> datetime.datetime:
    """Some days after `start`, but always before `limit`."""
    return start + min(DAY * rng.uniform(low, high), (limit - start) * rng.uniform(0.5, 0.95))
