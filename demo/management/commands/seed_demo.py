"""manage.py seed_demo: fill the portal with demo data and print the demo logins."""

import time
import zoneinfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.builders.accounts import DemoLogin, demo_accounts_ensure
from demo.seed import (
    DEMO_PASSWORD,
    DemoSeedError,
    demo_data_exists,
    demo_data_seed,
    networks_without_open_call,
)


class Command(BaseCommand):
    help = (
        "Seed deterministic demo data (institutions, memberships, criteria sets, calls) and one "
        "account per role. Safe to run again: existing demo data is kept, accounts are reset."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply the number of institutions (about 600 at 1.0), for load tests.",
        )

    def handle(self, *args, scale: float, **options):
        if scale <= 0:
            raise CommandError("--scale must be greater than 0.")
        started = time.monotonic()
        if demo_data_exists():
            self.stdout.write("Demo data already present: institutions and calls left as they are.")
            closed = networks_without_open_call()
            if closed:
                # The data is kept on purpose; say why the demo may look stale.
                self.stdout.write(
                    self.style.WARNING(
                        f"{len(closed)} networks have no open call now (the demo calls were "
                        "anchored to the day they were seeded). Seed a fresh database for new ones."
                    )
                )
        else:
            # Calls are anchored to today in the default call time zone, so one is always open.
            today = timezone.localdate(timezone=zoneinfo.ZoneInfo(settings.DEFAULT_CALL_TIME_ZONE))
            try:
                summary = demo_data_seed(today=today, scale=scale)
            except DemoSeedError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seeded {summary.institutions} institutions from {summary.countries} "
                    f"countries, {summary.memberships} current memberships, "
                    f"{summary.criteria_sets} criteria sets, {summary.calls} calls and "
                    f"{summary.applications} applications."
                )
            )
        logins = demo_accounts_ensure(password=DEMO_PASSWORD)
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):\n")
        self.stdout.write(_logins_table(logins))
        self.stdout.write(f"\nDone in {time.monotonic() - started:.1f} s.")


def _logins_table(logins: list[DemoLogin]) -> str:
    rows = [("Role", "Email", "Password", "Note")]
    rows += [(login.role, login.email, login.password, login.note) for login in logins]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
