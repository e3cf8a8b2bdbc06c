"""The probes: liveness answers alone; readiness names each dependency, answers 503 quickly
while one is down and 200 once it is back."""

import datetime
import json
import re
import socket
import threading
import time

import pytest
from django.utils import timezone

from outbox.enums import OutboxStatus
from outbox.models import OutboxItem
from tests.chaos.services import Redis, free_port, wait_for

pytestmark = pytest.mark.django_db


def ready(client, **headers):
    started = time.monotonic()
    response = client.get("/health/ready/", **headers)
    return response.status_code, json.loads(response.content), time.monotonic() - started


def test_liveness_answers_from_any_host_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live/", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers


def test_readiness_names_every_check_on_the_healthy_stack(client, settings):
    settings.CELERY_BROKER_URL = settings.CACHES["default"]["LOCATION"]
    status, body, _ = ready(client, HTTP_HOST="10.0.0.7:8000")
    assert status == 200, body
    assert body == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "cache": "ok",
            "broker": "ok",
            "storage": "ok",
            "outbox": "ok",
        },
    }


def test_readiness_is_503_while_redis_is_down_and_200_when_it_is_back(client, settings, tmp_path):
    redis = Redis("redis-ready", tmp_path / "redis", free_port())
    redis.start()
    try:
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": redis.url(0)}}
        settings.CELERY_BROKER_URL = redis.url(1)
        settings.HEALTH_CHECK_TIMEOUT = 1.0
        assert ready(client)[0] == 200

        redis.stop()
        status, body, seconds = ready(client)
        assert status == 503
        assert body["status"] == "unavailable"
        assert body["checks"]["cache"].startswith("unavailable")
        assert body["checks"]["broker"].startswith("unavailable")
        assert body["checks"]["database"] == "ok"
        assert seconds < 3

        redis.start()
        status, body, _ = ready(client)
        assert status == 200, body
    finally:
        redis.stop()


def checks_ended() -> bool:
    return not any(thread.name.startswith("health-") for thread in threading.enumerate())


def test_readiness_answers_503_quickly_while_a_dependency_hangs(client, settings):
    # A server that takes the connection and never answers, as a wedged Redis would.
    silent = socket.create_server(("127.0.0.1", free_port()))
    try:
        port = silent.getsockname()[1]
        settings.CACHES = {
            "default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{port}/0"}
        }
        settings.HEALTH_CHECK_TIMEOUT = 1.0
        for _ in range(2):  # the second while the first's thread may still wait
            status, body, seconds = ready(client)
            assert status == 503
            assert body["checks"]["cache"] != "ok"
            assert body["checks"]["database"] == "ok"
            assert seconds < 2.5
    finally:
        silent.close()
        # The checks' threads end on their socket timeout; the next test starts without them.
        assert wait_for(checks_ended, 10) is not None


def test_readiness_is_503_while_the_storage_cannot_be_written_and_200_after(
    client, settings, tmp_path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a regular file where the media folder's parent should be")
    settings.MEDIA_ROOT = str(blocker / "media")
    status, body, _ = ready(client)
    assert status == 503
    assert body["checks"]["storage"].startswith("unavailable")
    assert body["checks"]["database"] == "ok"

    settings.MEDIA_ROOT = str(tmp_path / "media")
    status, body, _ = ready(client)
    assert status == 200, body
    assert not any((tmp_path / "media").rglob("probe-*"))  # the probe file was deleted


# The checks read the database from threads of their own: these rows must be committed.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_readiness_is_503_while_outbox_items_failed_or_wait_too_long(client, settings):
    settings.HEALTH_READY_CHECKS = ["outbox"]
    settings.HEALTH_OUTBOX_MAX_DELAY = 600
    now = timezone.now()
    failed = OutboxItem.objects.create(
        kind="notifications.email", key="health:failed", status=OutboxStatus.FAILED, give_up_at=now
    )
    status, body, _ = ready(client)
    assert (status, body["checks"]) == (503, {"outbox": "1 failed items"})
    settings.HEALTH_OUTBOX_MAX_FAILED = 1
    assert ready(client)[0] == 200

    failed.delete()
    # Due for 20 minutes and not delivered: no worker or beat is at work.
    late = OutboxItem.objects.create(
        kind="notifications.email",
        key="health:late",
        available_at=now - datetime.timedelta(minutes=20),
        give_up_at=now + datetime.timedelta(days=1),
    )
    status, body, _ = ready(client)
    assert status == 503
    # 20 minutes, and the seconds the test itself took since (more than one on a loaded machine).
    waited = re.fullmatch(r"oldest due item waiting (\d+)s", body["checks"]["outbox"])
    assert waited, body["checks"]
    assert 1200 <= int(waited[1]) <= 1200 + (timezone.now() - now).total_seconds()
    # Waiting for a retry (not due yet) is not a backlog that makes the node unready.
    late.available_at = now + datetime.timedelta(minutes=5)
    late.save(update_fields=["available_at"])
    assert ready(client)[0] == 200
