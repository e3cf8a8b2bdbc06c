"""The bucket the commands work on: the configured default storage, which must be S3."""

from django.core.files.storage import storages
from django.core.management.base import CommandError

from file_storage.backends import PrivateS3Storage


def configured_bucket() -> PrivateS3Storage:
    storage = storages["default"]
    if not isinstance(storage, PrivateS3Storage):
        raise CommandError(
            "No bucket is configured: stored files are on the local disk (MEDIA_ROOT). Set "
            "AWS_STORAGE_BUCKET_NAME (and AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID, "
            "AWS_SECRET_ACCESS_KEY) first."
        )
    return storage
