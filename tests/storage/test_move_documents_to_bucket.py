"""`manage.py move_documents_to_bucket`: files written to the local disk (MEDIA_ROOT) while the
portal ran without a bucket are copied into it under the same names and verified; a rerun
copies nothing again; a file missing on disk or whose bytes differ is reported and the command
fails; `--delete-local` removes only verified copies; `--dry-run` changes nothing."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from applications.models import ApplicationDocument
from privacy.services.exports import export_build, export_request
from tests.applications.conftest import complete, pdf_bytes
from tests.storage.conftest import BUCKET

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_disk(settings, draft, applicant) -> dict[str, bytes]:
    """Three documents and a data export written to the disk (the embedded default): each
    stored name with its bytes."""
    assert settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
    complete(draft, applicant)
    export = export_request(user=applicant)
    export_build(export_id=export.pk)
    export.refresh_from_db()
    root = Path(settings.MEDIA_ROOT)
    names = [d.file.name for d in ApplicationDocument.objects.all()] + [export.file.name]
    return {name: (root / name).read_bytes() for name in names}


def move(*options) -> str:
    out = io.StringIO()
    call_command("move_documents_to_bucket", *options, stdout=out)
    return out.getvalue()


def test_files_on_disk_are_moved_verified_and_a_rerun_moves_nothing(
    client, settings, on_disk, seaweedfs, draft, applicant
):
    names = set(on_disk)
    document = draft.documents.filter(required_document__kind="self_assessment").get()
    settings.STORAGES = {**settings.STORAGES, "default": seaweedfs.storage_settings(BUCKET)}
    call_command("ensure_bucket", stdout=io.StringIO())

    dry = move("--dry-run")
    assert "4 would move, 0 already there, 0 missing on disk, 0 checksum mismatch" in dry
    assert all(seaweedfs.read(BUCKET, name) is None for name in names)

    output = move()
    assert "4 moved, 0 already there, 0 missing on disk, 0 checksum mismatch" in output
    assert {name: seaweedfs.read(BUCKET, name) for name in names} == on_disk  # same names, bytes
    assert all((Path(settings.MEDIA_ROOT) / name).exists() for name in names)  # kept on disk

    # The portal now serves the copy in the bucket.
    client.force_login(applicant)
    response = client.get(document.get_absolute_url())
    assert b"".join(response.streaming_content) == on_disk[document.file.name]

    rerun = move()
    assert "0 moved, 4 already there, 0 missing on disk, 0 checksum mismatch" in rerun

    deleted = move("--delete-local")
    assert "0 moved, 4 already there" in deleted and "4 deleted from the disk" in deleted
    assert not any((Path(settings.MEDIA_ROOT) / name).exists() for name in names)
    # Resumed after the disk was emptied: everything is already there, nothing is missing.
    assert "0 moved, 4 already there, 0 missing on disk" in move()
    # A copy damaged since is still found, against the SHA-256 recorded at upload.
    seaweedfs.client().put_object(Bucket=BUCKET, Key=document.file.name, Body=b"damaged")
    with pytest.raises(CommandError, match="3 already there, 0 missing on disk, 1 checksum"):
        move()


def test_a_missing_or_corrupted_file_is_reported_and_the_command_fails(
    settings, on_disk, seaweedfs, draft
):
    root = Path(settings.MEDIA_ROOT)
    chart, assessment, letter = (
        draft.documents.get(criterion__isnull=False),
        draft.documents.get(required_document__kind="self_assessment"),
        draft.documents.get(purpose="endorsement"),
    )
    (root / chart.file.name).unlink()  # lost from the disk
    corrupted = bytearray(on_disk[assessment.file.name])
    corrupted[100] ^= 0xFF  # one flipped byte: no longer what was uploaded
    (root / assessment.file.name).write_bytes(bytes(corrupted))
    settings.STORAGES = {**settings.STORAGES, "default": seaweedfs.storage_settings(BUCKET)}
    call_command("ensure_bucket", stdout=io.StringIO())
    # A different object already under the letter's name: never overwritten.
    seaweedfs.client().put_object(Bucket=BUCKET, Key=letter.file.name, Body=pdf_bytes(pages=2))

    with pytest.raises(CommandError) as failed:
        move("--delete-local")
    summary = str(failed.value)
    assert "1 moved, 0 already there, 1 missing on disk, 2 checksum mismatch" in summary

    assert seaweedfs.read(BUCKET, chart.file.name) is None
    assert seaweedfs.read(BUCKET, assessment.file.name) is None  # corrupted: not copied
    assert seaweedfs.read(BUCKET, letter.file.name) == pdf_bytes(pages=2)  # left as it was
    # Only the verified copy (the export) left the disk; the problems stay for the operator.
    assert (root / assessment.file.name).read_bytes() == bytes(corrupted)
    assert (root / letter.file.name).read_bytes() == on_disk[letter.file.name]
    assert hashlib.sha256(on_disk[assessment.file.name]).hexdigest() == assessment.sha256


def test_the_commands_refuse_to_run_without_a_bucket(on_disk):
    for command in ["ensure_bucket", "move_documents_to_bucket"]:
        with pytest.raises(CommandError, match="No bucket is configured"):
            call_command(command)
