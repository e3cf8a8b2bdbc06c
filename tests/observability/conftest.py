"""A private stack for the tests that need the portal's real processes: gunicorn (two workers,
prometheus_client's multiprocess mode), a Celery worker and beat (tests/chaos/services.Portal)
on a Redis and an SMTP sink of their own, and a database of this suite's own on the shared
PostgreSQL, which no test here stops. The portal logs JSON lines (LOG_FORMAT=json).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

from tests.chaos.browser import Browser
from tests.chaos.services import ROOT, Portal, Redis, SmtpSink, Topology, free_port, wait_for
from tests.chaos.stack import DROPPED, OUTBOX_SETTINGS

DATABASE = "h_obs_stack"
METRICS_TOKEN = "observability-test-token"


def shared_postgres_url(database: str) -> str:
    base = settings.DATABASES["default"]
    return f"postgres://{base['USER'] or 'postgres'}@{base['HOST']}:{base['PORT']}/{database}"


def database_recreate(database: str) -> None:
    connection = psycopg2.connect(shared_postgres_url("postgres"), connect_timeout=5)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{database}"')
    connection.close()


def database_drop(database: str) -> None:
    connection = psycopg2.connect(shared_postgres_url("postgres"), connect_timeout=5)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    connection.close()


def portal_environment(folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a portal process of these tests: the caller's, less its services."""
    env = {key: value for key, value in os.environ.items() if key not in DROPPED}
    for key in ("REDIS_URL", "CELERY_BROKER_URL", "PROMETHEUS_MULTIPROC_DIR", "SENTRY_DSN"):
        env.pop(key, None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "jane_portal.settings",
            "SECRET_KEY": "observability-test-secret-key",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_COOKIES": "0",
            "SECURE_SSL_REDIRECT": "0",
            "MEDIA_ROOT": str(folder / "media"),
            "CACHE_KEY_PREFIX": "obs",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
    )
    return env


@dataclass
class Stack:
    folder: Path
    redis: Redis
    sink: SmtpSink
    portal: Portal

    def browser(self, request_id: str | None = None) -> Browser:
        browser = Browser(self.portal.url, "127.0.0.1")
        if request_id:
            browser.opener.addheaders = [("X-Request-ID", request_id)]
        return browser

    def metrics(self) -> str:
        request = urllib.request.Request(
            self.portal.url + "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read().decode()


def metric_value(text: str, name: str) -> float | None:
    """The value of an unlabelled sample in a Prometheus exposition, if present."""
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else None


def feedback_send(stack: Stack, *, request_id: str | None = None, message: str = "") -> None:
    """An accessibility feedback message over HTTP: its email to the secretariat is queued
    through the outbox in the request's transaction."""
    page = stack.browser(request_id).form_post(
        "/accessibility/",
        {"email": "visitor@example.org", "message": message or "The contrast is too low."},
    )
    assert page.status == 200 and "Thank you" in page.text, (page.status, page.text[:500])


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("obs-stack")
    folder.chmod(0o755)
    (folder / "portal").mkdir()
    (folder / "prometheus").mkdir()
    redis = Redis("redis-obs", folder / "redis", free_port())
    sink = SmtpSink(free_port())
    env = portal_environment(
        folder,
        DATABASE_URL=shared_postgres_url(DATABASE),
        EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
        EMAIL_TIMEOUT="3",
        LOG_FORMAT="json",
        PROMETHEUS_MULTIPROC_DIR=str(folder / "prometheus"),
        METRICS_TOKEN=METRICS_TOKEN,
        ACCESSIBILITY_FEEDBACK_LIMIT="1000",
        ACCESSIBILITY_FEEDBACK_EMAILS="secretariat@example.org,access@example.org",
        **OUTBOX_SETTINGS,
    )
    database_recreate(DATABASE)
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    redis.start()
    sink.start()
    portal = Portal(folder / "portal", env, free_port())
    try:
        portal.use(Topology("one Redis", redis.url(0), redis.url(1)))
        yield Stack(folder, redis, sink, portal)
    finally:
        portal.stop()
        sink.stop()
        redis.stop()
        database_drop(DATABASE)


__all__ = ["Stack", "feedback_send", "metric_value", "stack", "wait_for"]
