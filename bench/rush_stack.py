"""The private stack of `bench/rush.py`: its services, its applicants, and the checks after.

Reuses the fault suite's services (tests/chaos/services) and its World (applicants with an
institution of their own, complete drafts through the services); nothing here touches the
shared PostgreSQL or Redis.
"""

from __future__ import annotations

import math
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from tests.chaos.services import (
    STARTUP_SECONDS,
    Postgres,
    Process,
    Redis,
    ServiceError,
    SmtpSink,
    free_port,
    stop_everything,
    tail,
    wait_for,
)

DATABASE = "jane_rush"
DROPPED = ("CELERY_RESULT_BACKEND", "TEST_CELERY_BROKER_URL", "TEST_REDIS_DB_FIRST")
# gthread: two processes (one per core) of eight threads each, so a request waiting on a lock
# or on PostgreSQL does not hold a whole process; sync: four single-request processes.
GUNICORN = {
    "gthread": ["--workers", "2", "--threads", "8", "--worker-class", "gthread"],
    "sync": ["--workers", "4", "--worker-class", "sync"],
}


class RushStack:
    def __init__(self, *, keep: bool, gunicorn: str):
        self.keep, self.gunicorn = keep, gunicorn
        self.run_id = uuid.uuid4().hex[:6]
        self.folder = Path(tempfile.mkdtemp(prefix=f"jane-rush-{self.run_id}-"))
        self.folder.chmod(0o755)  # the postgres user reaches its cluster inside
        self.postgres = Postgres(self.folder / "postgres", free_port())
        self.redis = Redis("redis", self.folder / "redis", free_port())
        self.sink = SmtpSink(free_port())
        self.web_port = free_port()
        self.call = None
        self.application_ids: list[int] = []

    @property
    def gunicorn_shape(self) -> str:
        return " ".join(GUNICORN[self.gunicorn])

    def environment(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key not in DROPPED}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "jane_portal.settings",
                "DATABASE_URL": self.postgres.url(DATABASE),
                "REDIS_URL": self.redis.url(1),
                "CELERY_BROKER_URL": self.redis.url(0),
                "EMAIL_URL": f"smtp://127.0.0.1:{self.sink.port}",
                "SECRET_KEY": f"rush-only-secret-key-{self.run_id}",
                "DEBUG": "0",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SECURE_COOKIES": "0",
                "SECURE_SSL_REDIRECT": "0",  # the applicants speak plain HTTP to gunicorn
                "SITE_URL": "http://127.0.0.1",
                "MEDIA_ROOT": str(self.folder / "media"),
                "STATIC_ROOT": str(self.folder / "static"),
                "CACHE_KEY_PREFIX": "rush",
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    def start(self) -> None:
        self.postgres.init(DATABASE)
        self.redis.start()
        self.sink.start()
        os.environ.update(self.environment())
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)

    def seed(self, applicants: int, reviews: int) -> list[tuple[tuple[str, str], str]]:
        """Reviewers with room for every application, then each applicant's complete draft and
        session; returns (session cookie, submit path) per applicant."""
        from django.conf import settings
        from django.test import Client
        from django.urls import reverse

        from tests.chaos.rows import REVIEWER_CAPACITY
        from tests.chaos.world import World

        world = World(self.run_id)
        # Half as much room again as needed, so routing is never short of reviewers.
        world.reviewers(max(math.ceil(applicants * reviews * 1.5 / REVIEWER_CAPACITY), 4 * reviews))
        self.call = world.call("rush", reviews_per_application=reviews)
        targets = []
        for user, application in world.drafts(self.call, applicants):
            client = Client()
            user.refresh_from_db()  # World sets the password hash in the database only
            client.force_login(user)
            cookie = settings.SESSION_COOKIE_NAME
            session = (cookie, client.cookies[cookie].value)
            targets.append((session, reverse("applications:submit", args=[application.public_id])))
            self.application_ids.append(application.pk)
        return targets

    def serve(self) -> None:
        """gunicorn and one Celery worker (two pool processes, beat embedded), both ready."""
        env = self.environment()
        web = Process(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "jane_portal.wsgi",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                *GUNICORN[self.gunicorn],
                "--backlog",
                "2048",
                "--timeout",
                "120",
                "--graceful-timeout",
                "5",
            ],
            log=self.folder / "gunicorn.log",
            env=env,
        ).start()
        worker = Process(
            "worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "jane_portal",
                "worker",
                "--beat",
                f"--schedule={self.folder / 'beat-schedule'}",
                "--pool=prefork",
                "--concurrency=2",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            log=self.folder / "worker.log",
            env=env,
        ).start()

        def answers() -> bool:
            import urllib.request

            url = f"http://127.0.0.1:{self.web_port}/accounts/login/"
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status == 200

        if wait_for(answers, STARTUP_SECONDS, step=0.2) is None:
            raise ServiceError("gunicorn did not serve the portal:\n" + tail(web.log))
        if wait_for(lambda: worker.log_contains(" ready."), STARTUP_SECONDS) is None:
            raise ServiceError("the Celery worker did not start:\n" + tail(worker.log))

    def lock_sampler(self):
        """A thread sampling, every 0.2 s, the portal's sessions waiting on a lock, by lock
        (an advisory lock is the audit chain's); `stop()` on it returns the samples."""
        import threading

        import psycopg2

        samples: list[Counter] = []
        done = threading.Event()

        def sample() -> None:
            connection = psycopg2.connect(self.postgres.url(DATABASE))
            connection.autocommit = True
            cursor = connection.cursor()
            while not done.wait(0.2):
                cursor.execute(
                    "SELECT wait_event, count(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' GROUP BY wait_event"
                )
                samples.append(Counter(dict(cursor.fetchall())))
            connection.close()

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()

        class Sampler:
            def stop(self) -> list[Counter]:
                done.set()
                thread.join()
                return samples

        return Sampler()

    # --- after the rush ----------------------------------------------------------------------

    def _reviewers_per_application(self) -> Counter:
        from django.db import close_old_connections

        from reviews.enums import ACTIVE_ASSIGNMENT
        from reviews.models import Assignment

        close_old_connections()
        return Counter(
            Assignment.objects.filter(
                application__call=self.call, status__in=ACTIVE_ASSIGNMENT
            ).values_list("application_id", flat=True)
        )

    def routing_state(self) -> str:
        counts = self._reviewers_per_application()
        return ", ".join(
            f"{n} with {k} reviewers"
            for k, n in sorted(Counter(counts[pk] for pk in self.application_ids).items())
        )

    def wait_settled(self, reviews: int, seconds: float) -> tuple[float | None, float | None]:
        """Poll until every application has its k reviewers and every applicant's receipt
        email has arrived, or `seconds` ran out: the moment (time.monotonic) of each, or None."""
        wanted = len(self.application_ids)
        routed_at = receipts_at = None
        stop_at = time.monotonic() + seconds
        while time.monotonic() < stop_at and (routed_at is None or receipts_at is None):
            if routed_at is None:
                counts = self._reviewers_per_application()
                if all(counts[pk] >= reviews for pk in self.application_ids):
                    routed_at = time.monotonic()
            if receipts_at is None:
                mails = self.sink.mails()
                if len({m.recipient for m in mails if "received" in m.text}) >= wanted:
                    receipts_at = time.monotonic()
            time.sleep(0.25)
        return routed_at, receipts_at

    def check(self, reviews: int) -> list[str]:
        """What must hold in the database after the rush; each problem found, in words."""
        from django.core.management import CommandError, call_command
        from django.db import close_old_connections

        from applications.models import Submission
        from notifications.catalogue import NotificationKind
        from notifications.models import SentNotification
        from reviews.enums import ACTIVE_ASSIGNMENT
        from reviews.models import Assignment, ReviewerCapacity, ReviewerProfile

        close_old_connections()
        problems = []
        versions = Counter(
            Submission.objects.filter(application__call=self.call).values_list(
                "application_id", flat=True
            )
        )
        wrong = [pk for pk in self.application_ids if versions[pk] != 1]
        if wrong:
            problems.append(f"{len(wrong)} applications without exactly one version")
        submissions = list(
            Submission.objects.filter(application__call=self.call).values_list("pk", flat=True)
        )
        sent = Counter(
            SentNotification.objects.filter(
                kind=NotificationKind.SUBMISSION_RECEIPT,
                object_id__in=submissions,
                sent_at__isnull=False,
            ).values_list("object_id", flat=True)
        )
        if any(sent[pk] != 1 for pk in submissions):
            problems.append("receipt emails: not exactly one per version")
        problems += _stored_receipts(submissions)
        load = Counter(
            Assignment.objects.filter(
                application__call=self.call, status__in=ACTIVE_ASSIGNMENT
            ).values_list("reviewer_id", flat=True)
        )
        own = dict(
            ReviewerCapacity.objects.filter(call=self.call).values_list("reviewer_id", "capacity")
        )
        for pk, default in ReviewerProfile.objects.values_list("pk", "default_capacity"):
            if load[pk] > own.get(pk, default):
                problems.append(f"reviewer {pk} over capacity: {load[pk]}")
        counts = self._reviewers_per_application()
        if any(counts[pk] != reviews for pk in self.application_ids):
            problems.append(f"not exactly {reviews} reviewers each: {self.routing_state()}")
        try:
            with open(os.devnull, "w") as quiet:
                call_command("audit_verify", stdout=quiet)
        except CommandError as error:
            problems.append(f"audit chain: {str(error).splitlines()[0]}")
        return problems

    def stop(self) -> None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        stop_everything()
        self.sink.stop()
        if self.keep:
            print(f"  the run's folder: {self.folder}")
        else:
            shutil.rmtree(self.folder, ignore_errors=True)


def _stored_receipts(submissions: list[int]) -> list[str]:
    """One stored receipt PDF per version, where the portal stores them."""
    try:
        from applications.models import Receipt
    except ImportError:
        return []
    made = Counter(
        Receipt.objects.filter(submission__in=submissions, made_at__isnull=False).values_list(
            "submission_id", flat=True
        )
    )
    if any(made[pk] != 1 for pk in submissions):
        return ["stored receipts: not exactly one per version"]
    return []
