from django.core.management.base import BaseCommand, CommandError

from file_storage.management.commands._configured import configured_bucket
from file_storage.services import BucketError, bucket_ensure


class Command(BaseCommand):
    help = (
        "Make the configured bucket (AWS_STORAGE_BUCKET_NAME) if it is missing, private, and "
        "check that it refuses requests without credentials. Idempotent; waits for the "
        "endpoint to answer. Exits with status 1 on failure."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wait",
            type=float,
            default=30,
            metavar="SECONDS",
            help="How long to wait for the endpoint to answer (default 30).",
        )

    def handle(self, *args, wait, **options):
        storage = configured_bucket()
        try:
            created = bucket_ensure(storage=storage, wait_seconds=wait)
        except BucketError as error:
            raise CommandError(str(error)) from error
        where = storage.endpoint_url or "Amazon S3"
        verb = "made" if created else "already there"
        self.stdout.write(
            self.style.SUCCESS(f"Bucket {storage.bucket_name!r} at {where}: {verb}, private.")
        )
