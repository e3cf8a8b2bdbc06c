"""The readiness checks: the database, Redis (the cache's and the broker's), the document
storage and the outbox's backlog. Each runs in a thread of its own with a deadline, so a dead
dependency makes the probe answer "unavailable" within HEALTH_CHECK_TIMEOUT, never hang."""

import datetime
import threading
import time
import uuid
from collections.abc import Callable

import redis
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connections
from django.db.models import Min
from django.utils import timezone

from outbox.enums import OutboxStatus
from outbox.models import OutboxItem


class NotReady(Exception):
    """A check's own, short, public reason (no host names, no credentials)."""


def cache_redis_url() -> str | None:
    cache = settings.CACHES["default"]
    if "redis" not in cache["BACKEND"].lower():
        return None
    location = cache["LOCATION"]
    return location[0] if isinstance(location, list | tuple) else location


def broker_redis_url() -> str | None:
    url = settings.CELERY_BROKER_URL or ""
    return url if url.startswith(("redis://", "rediss://", "unix://")) else None


def redis_ping(url: str, timeout: float) -> None:
    # Redis itself: the cache (django-redis with IGNORE_EXCEPTIONS) never fails a get.
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        client.ping()
    finally:
        client.close()


def check_database() -> None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connections["default"].close()  # this thread's own connection, opened for the check


def check_storage() -> None:
    """A small write, read and delete in the documents' storage (disk or S3 alike)."""
    storage = storages["default"]
    name = storage.save(f"health/probe-{uuid.uuid4().hex}.txt", ContentFile(b"ready"))
    try:
        with storage.open(name, "rb") as probe:
            if probe.read() != b"ready":
                raise NotReady("read back something else")
    finally:
        storage.delete(name)


def check_outbox() -> None:
    """Not ready while items have failed (given up) beyond HEALTH_OUTBOX_MAX_FAILED, or the
    oldest item due for delivery has waited more than HEALTH_OUTBOX_MAX_DELAY seconds (no
    worker or beat is delivering). Items waiting for a retry after a failure are not due."""
    failed = OutboxItem.objects.filter(status=OutboxStatus.FAILED).count()
    if failed > settings.HEALTH_OUTBOX_MAX_FAILED:
        raise NotReady(f"{failed} failed items")
    now = timezone.now()
    oldest = OutboxItem.objects.filter(
        status=OutboxStatus.PENDING, available_at__lte=now
    ).aggregate(oldest=Min("available_at"))["oldest"]
    limit = datetime.timedelta(seconds=settings.HEALTH_OUTBOX_MAX_DELAY)
    if oldest is not None and now - oldest > limit:
        raise NotReady(f"oldest due item waiting {int((now - oldest).total_seconds())}s")


def _outbox_in_thread() -> None:
    try:
        check_outbox()
    finally:
        connections["default"].close()


def _redis_check(url: str | None, timeout: float) -> Callable[[], None] | None:
    return (lambda: redis_ping(url, timeout)) if url else None


def ready_checks() -> dict[str, Callable[[], None]]:
    """The checks HEALTH_READY_CHECKS asks for; Redis ones only where Redis is configured."""
    timeout = settings.HEALTH_CHECK_TIMEOUT
    available: dict[str, Callable[[], None] | None] = {
        "database": check_database,
        "cache": _redis_check(cache_redis_url(), timeout),
        "broker": _redis_check(broker_redis_url(), timeout),
        "storage": check_storage,
        "outbox": _outbox_in_thread,
    }
    return {
        name: check
        for name, check in available.items()
        if name in settings.HEALTH_READY_CHECKS and check is not None
    }


def _outcome(error: BaseException | None) -> str:
    if error is None:
        return "ok"
    if isinstance(error, NotReady):
        return str(error)
    return f"unavailable ({type(error).__name__})"


# The thread of each check's last run: a check still blocked (a database host that drops
# packets, where connecting waits for TCP to give up) is not started again beside it, so the
# probes of a dead dependency never pile up threads.
_running: dict[str, threading.Thread] = {}
_running_lock = threading.Lock()


def readiness() -> tuple[bool, dict[str, str]]:
    """Run every check side by side; whether all passed, and each one's outcome."""
    timeout = settings.HEALTH_CHECK_TIMEOUT
    outcomes: dict[str, BaseException | None] = {}
    threads, results = {}, {}
    for name, check in ready_checks().items():

        def run(name=name, check=check):
            try:
                check()
                outcomes[name] = None
            except BaseException as error:  # any failure is the dependency's, reported
                outcomes[name] = error

        with _running_lock:
            if (previous := _running.get(name)) is not None and previous.is_alive():
                results[name] = "timed out (the previous check has not returned)"
                continue
            thread = threading.Thread(target=run, name=f"health-{name}", daemon=True)
            _running[name] = thread
        thread.start()
        threads[name] = thread
    deadline = time.monotonic() + timeout
    for name, thread in threads.items():
        # A thread still blocked past the deadline is left to its own socket timeout.
        thread.join(max(deadline - time.monotonic(), 0))
        if thread.is_alive():
            results[name] = f"timed out after {timeout:g}s"
        else:
            results[name] = _outcome(outcomes.get(name))
    return all(result == "ok" for result in results.values()), results
