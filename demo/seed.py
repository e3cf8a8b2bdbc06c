"""Seeding the demo: deterministic data at the sizes in domain.md, and one account per role."""

import contextlib
import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from calls.enums import CallStatus
from calls.models import CriteriaSet
from demo.builders.applications import applications_create
from demo.builders.calls import calls_create
from demo.builders.criteria import ERN_STYLE_NAME, MATURITY_GRID_NAME, criteria_sets_create
from demo.builders.endorsers import endorsements_create
from demo.builders.institutions import institution_plans, institutions_create
from demo.builders.memberships import memberships_grant
from demo.builders.reviewers import reviewers_create
from networks.models import Institution, Membership, Network

# One fixed seed: every run, on every machine, builds the same demo.
DEMO_SEED = 2026
DEMO_PASSWORD = "jane-demo-2026"


class DemoSeedError(Exception):
    """The database is not ready for the demo."""


@dataclass(frozen=True)
class DemoSummary:
    institutions: int
    countries: int
    memberships: int
    criteria_sets: int
    calls: int
    applications: int


def demo_data_exists() -> bool:
    """Whether the demo is seeded; its criteria sets are made in one transaction with the rest."""
    return CriteriaSet.objects.filter(name__in=[MATURITY_GRID_NAME, ERN_STYLE_NAME]).exists()


def networks_without_open_call() -> list[Network]:
    """Networks with no published call open now: demo calls seeded weeks ago have closed since."""
    networks = Network.objects.prefetch_related("calls__suspensions").order_by(
        "work_package__number"
    )
    return [
        network
        for network in networks
        if not any(
            call.is_published and call.status == CallStatus.OPEN for call in network.calls.all()
        )
    ]


@contextlib.contextmanager
def _letter_tasks_quiet():
    """The demo's released letters are sent inside its transaction, so the sending tasks queued
    on commit find them sent and do nothing; without a broker they run in-process, and their
    one log line each would bury the demo logins."""
    logger = logging.getLogger("celery.app.trace")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def demo_data_seed(
    *,
    today: datetime.date,
    scale: float = 1.0,
    seed: int = DEMO_SEED,
    now: datetime.datetime | None = None,
) -> DemoSummary:
    """Create the demo institutions, memberships, criteria sets, calls and applications in one
    transaction.

    `scale` multiplies the number of institutions (about 600 at 1.0); memberships, calls and
    applications keep their realistic sizes. Applications' times are spread back from `now`
    (the present by default). Requires the Joint Action's networks, seeded by the networks
    migrations.
    """
    with _letter_tasks_quiet(), transaction.atomic():
        return _demo_data_seed(today=today, scale=scale, seed=seed, now=now or timezone.now())


def _demo_data_seed(
    *, today: datetime.date, scale: float, seed: int, now: datetime.datetime
) -> DemoSummary:
    networks = list(
        Network.objects.select_related(
            "work_package__lead_institution", "work_package__co_lead_institution"
        ).order_by("work_package__number")
    )
    if not networks:
        raise DemoSeedError("No networks found: run the migrations first.")
    taken = frozenset(Institution.objects.values_list("name", flat=True))
    taken_ror_ids = set(Institution.objects.exclude(ror_id="").values_list("ror_id", flat=True))
    plans = institution_plans(seed=seed, scale=scale, taken_names=taken)
    for plan in plans:
        # Vanishingly unlikely, but a real institution may already hold a generated ROR id.
        if plan.ror_id in taken_ror_ids:
            plan.ror_id = ""
    institutions = institutions_create(plans=plans)
    memberships_grant(seed=seed, networks=networks, institutions=institutions)
    criteria_sets = criteria_sets_create()
    calls = calls_create(seed=seed, networks=networks, criteria_sets=criteria_sets, today=today)
    reviewers_create(seed=seed, networks=networks)
    applications = applications_create(seed=seed, calls=calls, now=now)
    endorsements_create(calls=calls, now=now)
    return DemoSummary(
        institutions=len(institutions),
        countries=len({plan.country for plan in plans}),
        # Counted last: accepted applications made members too.
        memberships=Membership.objects.current().count(),
        criteria_sets=len(criteria_sets),
        calls=len(calls),
        applications=applications,
    )
