"""The whole private stack of a fault run: PostgreSQL, a Redis for the broker and one for the
cache, the SMTP sink, the portal's processes, and this process's own Django on the same
services (to build each fault's data and read the final state).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

from tests.chaos.services import (
    Portal,
    Postgres,
    Redis,
    SmtpSink,
    Topology,
    free_port,
    stop_everything,
)

DATABASE = "jane_chaos"
# Read by the outbox (issue 10): short backoffs and a fast sweep, so a run takes minutes; the
# retry period stays far longer than any outage here.
OUTBOX_SETTINGS = {
    "OUTBOX_BACKOFF_BASE": "1",
    "OUTBOX_BACKOFF_MAX": "2",
    "OUTBOX_RETRY_FOR": "86400",
    "OUTBOX_SWEEP_SECONDS": "1",
}
# Whatever the caller's environment says about services, the run uses its own.
DROPPED = ("CELERY_RESULT_BACKEND", "TEST_CELERY_BROKER_URL", "TEST_REDIS_DB_FIRST")


class Stack:
    def __init__(self, keep: bool = False):
        self.keep = keep
        self.run_id = uuid.uuid4().hex[:6]
        self.folder = Path(tempfile.mkdtemp(prefix=f"jane-chaos-{self.run_id}-"))
        self.folder.chmod(0o755)  # the postgres user reaches its cluster inside
        self.postgres = Postgres(self.folder / "postgres", free_port())
        self.broker = Redis("redis-broker", self.folder / "redis-broker", free_port())
        self.cache = Redis("redis-cache", self.folder / "redis-cache", free_port())
        self.sink = SmtpSink(free_port())
        (self.folder / "portal").mkdir()
        self.portal = Portal(self.folder / "portal", self._environment(), free_port())
        self.world = None

    def _environment(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key not in DROPPED}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "jane_portal.settings",
                "DATABASE_URL": self.postgres.url(DATABASE),
                "EMAIL_URL": f"smtp://127.0.0.1:{self.sink.port}",
                "SECRET_KEY": f"chaos-only-secret-key-{self.run_id}",
                "DEBUG": "0",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "SECURE_COOKIES": "0",
                # The fault suite talks plain HTTP to its own gunicorn (no TLS in front).
                "SECURE_SSL_REDIRECT": "0",
                "SITE_URL": "http://127.0.0.1",
                "MEDIA_ROOT": str(self.folder / "media"),
                "STATIC_ROOT": str(self.folder / "static"),
                "CACHE_KEY_PREFIX": "chaos",
                "PYTHONUNBUFFERED": "1",
                **OUTBOX_SETTINGS,
            }
        )
        return env

    def single_redis(self) -> Topology:
        return Topology("one Redis", self.broker.url(1), self.broker.url(0))

    def split_redis(self) -> Topology:
        return Topology("two Redis", self.cache.url(0), self.broker.url(0))

    def start(self, reviewers: int) -> None:
        self.postgres.init(DATABASE)
        self.broker.start()
        self.cache.start()
        self.sink.start()
        # This process's Django: the same services as the portal's processes (split Redis).
        os.environ.update(self.portal.base_env)
        os.environ.update({"REDIS_URL": self.cache.url(0), "CELERY_BROKER_URL": self.broker.url(0)})
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        # Production's static storage: pages name the hashed files `collectstatic` records.
        call_command("collectstatic", interactive=False, verbosity=0)

        from tests.chaos.world import World

        self.world = World(self.run_id)
        self.world.reviewers(reviewers)

    def serve(self, *, single_redis: bool = False) -> None:
        """Every service up and the portal serving on the topology asked for, with one worker
        of two pool processes and beat: the state each fault starts from."""
        for service in (self.postgres, self.broker, self.cache):
            if not service.process.running:
                service.start()
        if not self.sink.running:
            self.sink.start()
        self.portal.use(self.single_redis() if single_redis else self.split_redis())

    def stop(self) -> None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        stop_everything()
        self.sink.stop()
        if not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)
