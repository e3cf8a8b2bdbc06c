""" "Download my data" in a real browser, built by a real Celery worker: the person double-clicks
the button, sees their copy being built with its progress (the page's script polls it, no
reload), then the link, and downloads the archive. The page is checked with axe-core while the
copy is being built."""

import io
import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from applications.models import ApplicationDocument
from privacy.models import DataExport
from tests.applications.conftest import (  # noqa: F401 (fixtures)
    applicant,
    call,
    complete,
    draft,
    institution,
)
from tests.browser.test_decision_board import sign_in
from tests.privacy.test_exports_worker import BUILT_WITHIN_SECONDS, other_connection
from tests.reviews.test_worker import celery_worker_process  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_person_double_clicks_watches_the_progress_and_downloads_the_archive(
    celery_worker_process,  # noqa: F811 (the fixture)
    page,
    assert_accessible,
    applicant,  # noqa: F811
    draft,  # noqa: F811
):
    complete(draft, applicant)
    sign_in(page, applicant.email)
    page.goto("/accounts/my-data/")
    expect(page.get_by_text("You have not asked for a copy yet.")).to_be_visible()

    # The worker is held once it has started, where it reads the uploaded documents, as a long
    # build would be.
    holder = other_connection()
    try:
        with holder.cursor() as cursor:
            cursor.execute(
                f'LOCK TABLE "{ApplicationDocument._meta.db_table}" IN ACCESS EXCLUSIVE MODE'
            )
        page.get_by_role("button", name="Ask for a copy of my data").dblclick()
        row = page.locator("tr.data-export")
        label = row.locator(".export-label")
        expect(label).to_have_text(
            re.compile(r"^Being built: \d+%$"), timeout=BUILT_WITHIN_SECONDS * 1000
        )
        expect(row).to_have_count(1)
        expect(row.get_by_role("progressbar", name="Progress")).to_be_visible()
        expect(page.get_by_role("button", name="Ask for a copy of my data")).to_be_disabled()
        expect(page.get_by_text("A copy is being prepared.")).to_be_visible()
        expect(row.get_by_role("link", name="Download the archive")).to_have_count(0)
        assert_accessible(page)
    finally:
        holder.rollback()  # the build goes on
        holder.close()

    link = row.get_by_role("link", name="Download the archive")
    expect(link).to_be_visible(timeout=BUILT_WITHIN_SECONDS * 1000)
    expect(label).to_have_text("Ready")
    expect(row.get_by_role("progressbar")).to_have_count(0)
    # Chromium sent one form for the double click here; two requests at the same instant are
    # tested in tests/privacy/test_exports_double_click.py.
    assert DataExport.objects.filter(user=applicant).count() == 1

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert re.fullmatch(r"jane-personal-data-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename)
    with open(download.path(), "rb") as saved:
        archive = zipfile.ZipFile(io.BytesIO(saved.read()))
    data = json.loads(archive.read("personal-data.json"))
    assert data["groups"]["account"]["email"] == "anna@ospedale.example"
    documents = ApplicationDocument.objects.filter(uploaded_by=applicant)
    assert documents.exists()
    for document in documents:
        assert f"files/{document.public_id}.{document.extension}" in archive.namelist()
