""" "Download my data" through a real Celery worker process on the Redis broker: asked over
HTTP, followed on the page and its status address the way the browser polls them, built by the
worker, downloaded by its owner alone, and answered with the expired page once its link ends.

The worker is the one of tests/reviews/test_worker.py, writing to this test's media folder; a
worker that cannot start, or a broker that is down, fails the test.
"""

import datetime
import io
import json
import re
import time
import zipfile

import psycopg2
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationDocument
from privacy.enums import ExportStatus
from privacy.models import DataExport
from tests.applications.conftest import complete, person
from tests.reviews.test_worker import celery_worker_process  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BUILT_WITHIN_SECONDS = 30


def until(condition, seconds: float = BUILT_WITHIN_SECONDS):
    """Ask `condition()` every 0.2 s until it returns something true, for at most `seconds`;
    returns what it last returned."""
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def other_connection():
    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"] or 5432,
    )
    other.autocommit = False
    return other


def test_a_person_asks_follows_the_progress_and_downloads_their_archive(
    celery_worker_process,  # noqa: F811 (the fixture)
    client,
    applicant,
    draft,
    institution,
):
    complete(draft, applicant)  # a file of theirs, uploaded
    client.force_login(applicant)
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert "You have not asked for a copy yet." in page

    # The worker is held once it has started, where it reads the uploaded documents: as a
    # long build would be, so the page is seen while it works.
    holder = other_connection()
    try:
        with holder.cursor() as cursor:
            cursor.execute(
                f'LOCK TABLE "{ApplicationDocument._meta.db_table}" IN ACCESS EXCLUSIVE MODE'
            )
        response = client.post(reverse("privacy:my_data"))
        assert response.status_code == 302 and response["Location"] == reverse("privacy:my_data")
        export = DataExport.objects.get(user=applicant)
        status_url = reverse("privacy:export_status", args=[export.public_id])

        def building():
            state = client.get(status_url).json()
            return state if state["status"] == "building" else None

        state = until(building)
        assert state, f"not started:\n{''.join(celery_worker_process)[-4000:]}"
        assert 1 <= state["progress"] < 100 and state["download_url"] is None
        page = client.get(reverse("privacy:my_data")).content.decode()
        # The worker may have gone one step further before it reached the locked table.
        shown = re.search(r"Being built: (\d+)%", page)
        assert shown and state["progress"] <= int(shown[1]) < 100, page
        assert f'data-status-url="{status_url}"' in page  # what the page's script polls
        assert "A copy is being prepared." in page
        assert "/download/" not in page
    finally:
        holder.rollback()  # the build goes on
        holder.close()

    seen = []

    def ready():
        state = client.get(status_url).json()
        seen.append(state["progress"])
        return state if state["status"] == "ready" else None

    state = until(ready)
    assert state, f"not built:\n{''.join(celery_worker_process)[-4000:]}"
    assert seen == sorted(seen) and seen[-1] == 100  # progress only goes forward
    assert state["label"] == "Ready"
    download = reverse("privacy:export_download", args=[export.public_id])
    assert state["download_url"] == download
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert f'href="{download}"' in page and "data-status-url" not in page

    response = client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("personal-data.json"))
    assert data["person"]["email"] == "anna@ospedale.example"
    assert data["groups"]["account"]["name"] == "Anna"
    documents = ApplicationDocument.objects.filter(uploaded_by=applicant)
    assert documents.exists()
    for document in documents:
        with document.file.open("rb") as stored:
            assert archive.read(f"files/{document.public_id}.{document.extension}") == stored.read()

    # Somebody else, even of the same institution, finds neither the archive nor its status.
    colleague = Client()
    colleague.force_login(person("marco@ospedale.example", institution, "contributor"))
    assert colleague.get(download).status_code == 404
    assert colleague.get(status_url).status_code == 404

    # Once the link has expired: a page that says so, not the archive and not an error.
    DataExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(download)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert client.get(status_url).json()["status"] == ExportStatus.EXPIRED
