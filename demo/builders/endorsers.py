"""Demo national endorsers (two for Italy, one each for Germany and Spain) and the open calls
whose applications from those countries await their endorsement."""

import datetime

from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application
from calls.enums import CallStatus, EndorsementRoute
from calls.models import Call
from endorsements.models import NationalEndorsement, NationalEndorser

DEMO_EMAIL_DOMAIN = "demo.jane.eu"
# (email's local part, name, country, authority)
ENDORSERS = [
    ("endorser-it", "Demo endorser (Italy)", "IT", "Ministero della Salute"),
    ("endorser-it-2", "Demo second endorser (Italy)", "IT", "Ministero della Salute"),
    ("endorser-de", "Demo endorser (Germany)", "DE", "Bundesministerium für Gesundheit"),
    ("endorser-es", "Demo endorser (Spain)", "ES", "Ministerio de Sanidad"),
]
COUNTRIES = sorted({country for _, _, country, _ in ENDORSERS})
# The open calls of the first networks take the endorsement in the portal or as a letter, and
# the first lets endorsers act for two weeks after its deadline.
PORTAL_CALLS = 2
AFTER_DEADLINE = datetime.timedelta(days=14)


def endorsements_create(*, calls: list[Call], now: datetime.datetime | None = None) -> int:
    """Let the first open calls take the endorsement in the portal, and open a pending
    endorsement for each submitted application to them from the endorsers' countries.
    Returns how many endorsements were opened."""
    now = now or timezone.now()
    chosen = [c for c in calls if c.is_published and c.status_at(now) == CallStatus.OPEN]
    chosen = chosen[:PORTAL_CALLS]
    for index, call in enumerate(chosen):
        call.endorsement_route = EndorsementRoute.EITHER
        call.endorsement_closes_at = call.deadline + AFTER_DEADLINE if index == 0 else None
        call.save(update_fields=["endorsement_route", "endorsement_closes_at"])
    applications = Application.objects.filter(
        call__in=chosen, institution__country__in=COUNTRIES, submitted_at__isnull=False
    ).exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
    created = NationalEndorsement.objects.bulk_create(
        [NationalEndorsement(application=application) for application in applications],
        ignore_conflicts=True,
    )
    return len(created)


def demo_endorsers_ensure(*, user_ensure, password: str) -> list:
    """Create or reset the demo endorsers; return their logins (role, email, note)."""
    logins = []
    for local_part, name, country, authority in ENDORSERS:
        email = f"{local_part}@{DEMO_EMAIL_DOMAIN}"
        user = user_ensure(email=email, name=name, password=password)
        NationalEndorser.objects.update_or_create(
            user=user, defaults={"country": country, "authority": authority, "active": True}
        )
        logins.append(("National endorser", email, f"endorses for {country} ({authority})"))
    return logins
