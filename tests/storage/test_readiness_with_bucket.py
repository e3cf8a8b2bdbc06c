"""The readiness probe's storage check (observability/health.py) against the bucket: 503 while
SeaweedFS is down, 200 again once it is back with its data, and the documents still there."""

import json
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from tests.storage.seaweedfs import SeaweedFS

pytestmark = pytest.mark.django_db


def ready(client):
    started = time.monotonic()
    response = client.get("/health/ready/")
    return response.status_code, json.loads(response.content), time.monotonic() - started


def test_readiness_is_503_while_the_bucket_is_down_and_200_when_it_is_back(
    client, settings, tmp_path
):
    server = SeaweedFS(tmp_path / "seaweedfs").start()
    try:
        settings.STORAGES = {**settings.STORAGES, "default": server.storage_settings("ready")}
        settings.CELERY_BROKER_URL = settings.CACHES["default"]["LOCATION"]
        settings.HEALTH_CHECK_TIMEOUT = 2.0
        call_command("ensure_bucket", stdout=None)
        name = default_storage.save("applications/kept.pdf", ContentFile(b"%PDF-kept"))
        status, body, _ = ready(client)
        assert status == 200 and body["checks"]["storage"] == "ok", body

        server.kill()
        status, body, seconds = ready(client)
        assert status == 503, body
        assert body["checks"]["storage"] != "ok"
        assert {check for check, state in body["checks"].items() if state != "ok"} == {"storage"}
        assert seconds < 5  # the probe's deadline, not the client's retries

        server.start()  # the same data folder and ports
        deadline = time.monotonic() + 30
        while (status := ready(client)[0]) != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert status == 200
        with default_storage.open(name) as kept:
            assert kept.read() == b"%PDF-kept"
    finally:
        server.stop()
