"""Routing throughput: applications routed per second per call through the outbox's routing
items, one application per item (issue 11) against a pass over the call's waiting ones.

Run with `.venv/bin/python bench/routing_throughput.py` (or `make bench-routing-throughput`).
See bench/README.md.

It starts a PostgreSQL cluster and a Redis of its own on free ports (tests/chaos/services; the
shared 5432 and 6379 are never touched), migrates, adds the reviewers, then for each run a new
open call with its waiting applications (submitted, awaiting routing, one routing item each in
the outbox, as `application_submit` leaves them). It then performs the call's routing items in
order, in this process, with `outbox_deliver` (what the Celery task `outbox_deliver_task`
runs), and times until the last one is done:

- one at a time: the routing effect of issue 11, put back in the registry for the run: each
  item routes its own application (`application_route`: its row and the call's row locked, the
  pool read, one transaction);
- pass: the portal's effect now: the first item routes every waiting application of the call
  (`call_route_waiting`), the others find theirs routed and end at once.

In-process rather than through a worker: a worker adds the broker's round trip per task (about
a millisecond on loopback) and the machine's other agents' noise, the same to both modes; the
database work, locks and transactions are all real. Modes alternate, repeated.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.chaos.services import Postgres, Redis, free_port, stop_everything

K = 3
KEYWORDS = [f"kw{n}" for n in range(60)]
COUNTRIES = ["IT", "DE", "FR", "ES", "PL", "NL", "PT", "BE", "AT", "SE"]


def start_services(folder: Path) -> None:
    postgres = Postgres(folder / "postgres", free_port())
    postgres.init("jane_bench")
    cache = Redis("redis-bench", folder / "redis", free_port())
    cache.start()
    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        os.environ.pop(name, None)  # tasks run in this process
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "jane_portal.settings",
            "DATABASE_URL": postgres.url("jane_bench"),
            "REDIS_URL": cache.url(0),
            "SECRET_KEY": "bench-only-secret-key",
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "MEDIA_ROOT": str(folder / "media"),
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    import outbox.tasks

    # No kick after each commit: the items are performed below, when the clock runs.
    outbox.tasks._kicks_paused_until = math.inf


def _person(email: str):
    """A user without a password: hashing one would take most of the set-up's time."""
    from accounts.models import User

    return User.objects.create(email=email, name=email.split("@")[0])


def add_reviewers(count: int, capacity: int, rng: random.Random) -> None:
    from reviews.models import ReviewerProfile

    for n in range(count):
        ReviewerProfile.objects.create(
            user=_person(f"reviewer{n}@bench.example"),
            country=rng.choice(COUNTRIES),
            languages=["en"],
            keywords=rng.sample(KEYWORDS, 4),
            default_capacity=capacity,
        )


def waiting_call(applications: int, run: int, rng: random.Random):
    """A new open call with `applications` submitted applications awaiting routing."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from applications.enums import ApplicationStatus
    from applications.models import Application
    from applications.services.submission import application_route_on_commit
    from tests.applications.conftest import open_call
    from tests.factories import InstitutionFactory

    call = open_call(title=f"Bench call {run}", reviews_per_application=K)
    now = timezone.now()
    with transaction.atomic():
        for n in range(applications):
            institution = InstitutionFactory(
                name=f"Bench hospital {run}-{n}", country=rng.choice(COUNTRIES)
            )
            application = Application.objects.create(
                call=call,
                institution=institution,
                tier_requested="full_member",
                created_by=_person(f"applicant{run}-{n}@bench.example"),
                status=ApplicationStatus.SUBMITTED,
                submitted_at=now,
                awaiting_routing_since=now + datetime.timedelta(microseconds=n),
                keywords=rng.sample(KEYWORDS, 3),
            )
            application_route_on_commit(application)
    return call


def one_at_a_time_effect():
    """Issue 11's routing effect: each item routes its own application."""
    from outbox.registry import Effect, Later
    from workflow.routing import application_route

    def perform(payload: dict):
        outcome = application_route(application_id=payload["application_id"])
        if outcome is not None and outcome.missing:
            return Later(reason=outcome.reason or "")
        return None

    return Effect(perform=perform)


def route_call(call, mode: str) -> float:
    """Perform the call's routing items in order with the mode's effect; the seconds it took."""
    from applications.services.submission import ROUTE_EFFECT
    from outbox import registry
    from outbox.models import OutboxItem
    from outbox.relay import outbox_deliver

    keys = list(
        OutboxItem.objects.filter(kind=ROUTE_EFFECT, payload__application_id__isnull=False)
        .filter(status="pending", key__in=_route_keys(call))
        .order_by("pk")
        .values_list("key", flat=True)
    )
    current = registry._EFFECTS[ROUTE_EFFECT]
    if mode == "one at a time":
        registry._EFFECTS[ROUTE_EFFECT] = one_at_a_time_effect()
    try:
        started = time.perf_counter()
        for key in keys:
            outbox_deliver(key=key)
        return time.perf_counter() - started
    finally:
        registry._EFFECTS[ROUTE_EFFECT] = current


def _route_keys(call) -> list[str]:
    from applications.services.submission import ROUTE_EFFECT

    return [f"{ROUTE_EFFECT}:{pk}" for pk in call.applications.values_list("pk", flat=True)]


def check(call, applications: int) -> str:
    """What the database says after the run: every application routed once, within the rules."""
    from collections import Counter

    from outbox.models import OutboxItem
    from reviews.models import Assignment, ReviewerProfile

    pairs = list(
        Assignment.objects.filter(application__call=call).values_list("application", "reviewer")
    )
    load = Counter(reviewer for _, reviewer in pairs)
    capacity = dict(ReviewerProfile.objects.values_list("pk", "default_capacity"))
    waiting = call.applications.filter(awaiting_routing_since__isnull=False).count()
    pending = OutboxItem.objects.filter(key__in=_route_keys(call), status="pending").count()
    problems = []
    if len(pairs) != len(set(pairs)) or len(pairs) != K * applications:
        problems.append(f"{len(pairs)} assignments for {K * applications} places")
    if any(load[r] > capacity[r] for r in load):
        problems.append("a reviewer above capacity")
    if waiting or pending:
        problems.append(f"{waiting} still waiting, {pending} items pending")
    return "; ".join(problems) or "ok"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=500)
    parser.add_argument("--reviewers", type=int, default=150)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="100 x 30, 1 run")
    args = parser.parse_args()
    if args.quick:
        args.applications, args.reviewers, args.repeats = 100, 30, 1
    rng = random.Random(12)
    folder = Path(tempfile.mkdtemp(prefix="jane-bench-routing-"))
    folder.chmod(0o755)  # the postgres user reaches its cluster inside
    load_before = os.getloadavg()
    try:
        start_services(folder)
        capacity = math.ceil(1.25 * K * args.applications / args.reviewers)
        add_reviewers(args.reviewers, capacity, rng)
        times: dict[str, list[float]] = {"one at a time": [], "pass": []}
        checks: dict[str, set[str]] = {mode: set() for mode in times}
        run = 0
        for _ in range(args.repeats):
            for mode in times:  # alternating, so both see the same machine
                run += 1
                call = waiting_call(args.applications, run, rng)
                times[mode].append(route_call(call, mode))
                checks[mode].add(check(call, args.applications))
        print_table(args, times, checks, load_before, os.getloadavg())
    finally:
        from django.db import connections

        connections.close_all()
        stop_everything()
        shutil.rmtree(folder, ignore_errors=True)


def print_table(args, times, checks, load_before, load_after) -> None:
    row = "{:<15} {:>12} {:>10} {:>10} {:>10} {:>10}  {}"
    print(
        f"{args.applications} waiting applications of one call, {args.reviewers} reviewers, "
        f"k = {K}; median of {args.repeats} run(s) per mode, modes alternating"
    )
    header = row.format("mode", "applications", "median s", "min s", "apps/s", "x before", "check")
    print(header)
    print("-" * len(header))
    before = statistics.median(times["one at a time"])
    for mode, seconds in times.items():
        median = statistics.median(seconds)
        print(
            row.format(
                mode,
                args.applications,
                f"{median:.2f}",
                f"{min(seconds):.2f}",
                f"{args.applications / median:.1f}",
                f"{before / median:.1f}",
                ", ".join(sorted(checks[mode])),
            )
        )
    print(
        f"Load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in load_before)} before, "
        f"{', '.join(f'{x:.2f}' for x in load_after)} after (2 cores, shared)."
    )


if __name__ == "__main__":
    main()
