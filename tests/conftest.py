"""The suite runs on the real services: PostgreSQL as the database and Redis as the cache.

A missing service fails the run, loudly; nothing is skipped. `make test` starts both.
"""

import importlib
import os

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext


def pytest_configure(config):
    # Hashing a test password with the production hasher takes a good part of a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test client and the live server speak plain HTTP (tests/request_path/test_https.py
    # turns the redirect on where it tests it). Makefile's TEST_ENV says so too.
    settings.SECURE_SSL_REDIRECT = False
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        raise pytest.UsageError(
            f"The tests need PostgreSQL, but DATABASE_URL gives {engine}. Run `make test`, which "
            "starts PostgreSQL and Redis and points the tests at them."
        )
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        raise pytest.UsageError(
            "The tests need Redis as the cache: set REDIS_URL or run `make test`."
        )


@pytest.fixture(scope="session", autouse=True)
def _static_collected():
    """With DEBUG off pages name their static files by the hashes `collectstatic` records (the
    production storage): collected once here if nobody did (`make pytest` does)."""
    import fcntl
    import hashlib
    import tempfile
    from pathlib import Path

    from django.core.management import call_command

    if "Manifest" not in settings.STORAGES["staticfiles"]["BACKEND"]:
        return
    root = Path(settings.STATIC_ROOT)
    digest = hashlib.sha1(str(root).encode()).hexdigest()[:12]
    lock = Path(tempfile.gettempdir()) / f"jane-collectstatic-{digest}.lock"
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # parallel workers: one collects, the others wait
        if not (root / "staticfiles.json").exists():
            call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _clear_cache(settings):
    """A Redis database of its own for each parallel test worker, emptied before each test, so
    rate limits and cached pages never leak from one test, or one worker, into another."""
    from django.core.cache import cache

    worker_id = os.environ.get("PYTEST_XDIST_WORKER", "")
    index = int(worker_id[2:]) if worker_id.startswith("gw") else 0
    first = int(os.environ.get("TEST_REDIS_DB_FIRST", "12"))
    base = settings.CACHES["default"]["LOCATION"].rsplit("/", 1)[0]
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": f"{base}/{first + index}"}
    }
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _seeded_structure(request):
    """Transactional tests (browser, worker) flush the database after them; the structure the
    data migrations seed (networks, work packages, topics, role groups, the first privacy
    notice) is put back first."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    if not marker.kwargs.get("serialized_rollback"):
        # A plain flush runs post_migrate, which makes the role groups again under new ids; the
        # next test that puts the serialized database back then collides with them.
        pytest.fail("Mark it django_db(transaction=True, serialized_rollback=True).")
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from accounts.services import role_groups_ensure

    for module in [
        "networks.migrations.0002_seed_joint_action_structure",
        "networks.migrations.0004_seed_topics",
        "privacy.migrations.0002_seed_first_notice",
    ]:
        importlib.import_module(module).seed(apps, None)
    role_groups_ensure()


@pytest.fixture(autouse=True)
def _second_factor_required_only_where_asked(request, settings):
    """Two-factor authentication is required of every role but applicants in production
    (MFA_REQUIRED_ROLES). Most tests sign in reviewers, coordinators, observers and endorsers
    without an authenticator, so the requirement is lifted for them; the tests of the
    requirement, and any test marked `mfa_required`, run with the production roles."""
    if request.node.get_closest_marker("mfa_required") is None:
        settings.MFA_REQUIRED_ROLES = []


@pytest.fixture(autouse=True)
def _session_activity_written_once(request, settings):
    """A session's last activity is written once a minute (SESSION_ACTIVITY_RESOLUTION): a test
    that takes longer than that between sign-in and a counted request would see one more query
    on a slow machine. The tests of the session's clocks (marked `session_clocks`) keep the
    production resolution; the others write it at sign-in only."""
    if request.node.get_closest_marker("session_clocks") is None:
        settings.SESSION_ACTIVITY_RESOLUTION = 24 * 3600


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Uploaded documents go to a fresh folder per test, outside the web root as in production."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def count_queries():
    """Count the queries a callable runs: count_queries(lambda: client.get(url))."""

    def run(action):
        with CaptureQueriesContext(connection) as context:
            response = action()
        return len(context.captured_queries), response

    return run
