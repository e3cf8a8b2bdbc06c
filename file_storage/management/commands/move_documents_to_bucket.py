from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.management.base import BaseCommand, CommandError

from file_storage.management.commands._configured import configured_bucket
from file_storage.services import stored_files_move


class Command(BaseCommand):
    help = (
        "Copy every stored file (documents, data exports: every FileField) from the local "
        "disk (MEDIA_ROOT) to the configured bucket under the same name, and check each copy's "
        "SHA-256 read back from the bucket. Idempotent and resumable: files already there "
        "with the same checksum are skipped. Exits with status 1 if a file is missing on disk "
        "or a checksum differs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete-local",
            action="store_true",
            help="Remove each file from the disk once its copy in the bucket is verified.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report only; copy nothing."
        )

    def handle(self, *args, delete_local, dry_run, **options):
        target = configured_bucket()
        source = FileSystemStorage(location=settings.MEDIA_ROOT)
        report = stored_files_move(
            source=source,
            target=target,
            delete_local=delete_local,
            dry_run=dry_run,
            say=lambda line: self.stdout.write(f"  {line}"),
        )
        moved = "would move" if dry_run else "moved"
        summary = (
            f"{report.moved} {moved}, {report.already_there} already there, "
            f"{len(report.missing)} missing on disk, {len(report.mismatched)} checksum mismatch"
        )
        if delete_local:
            summary += f", {report.deleted_locally} deleted from the disk"
        summary += f" (from {source.location} to bucket {target.bucket_name!r})."
        if not report.ok:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
