"""The storage tests run against a real SeaweedFS started for the session (tests/storage/
seaweedfs.py); `bucket` points the portal's default storage at its bucket for one test."""

import pytest
from django.core.files.storage import default_storage, storages
from django.core.management import call_command

from applications.models import ApplicationDocument
from file_storage.backends import PrivateS3Storage
from tests.applications.conftest import applicant, call, draft, institution  # noqa: F401
from tests.storage.seaweedfs import SeaweedFS

BUCKET = "jane-documents"


@pytest.fixture(scope="session")
def seaweedfs():
    server = SeaweedFS().start()
    yield server
    server.stop()


@pytest.fixture
def bucket(seaweedfs, settings):
    """Stored files go to the SeaweedFS bucket for this test (made by `ensure_bucket`, as an
    operator would); the name of the bucket is returned. Django forgets the storage it had
    built when STORAGES changes (django.test.signals.storages_changed), checked here."""
    settings.STORAGES = {**settings.STORAGES, "default": seaweedfs.storage_settings(BUCKET)}
    assert isinstance(storages["default"], PrivateS3Storage)
    # What every FileField writes through: the lazy default storage, rebuilt for the new setting.
    assert ApplicationDocument._meta.get_field("file").storage is default_storage
    assert default_storage.bucket_name == BUCKET
    call_command("ensure_bucket", "--wait", "30")
    return BUCKET
