"""Writes to the bucket: make it (private) if missing, and move the files of the local disk into
it, each one verified by its SHA-256 read back from the bucket."""

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import Storage

from file_storage.backends import PrivateS3Storage
from file_storage.selectors import stored_file_sha256, stored_files


class BucketError(RuntimeError):
    """The bucket could not be reached, made or proved private; the message says which."""


def _status(error: ClientError) -> int:
    return error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)


def bucket_ensure(*, storage: PrivateS3Storage, wait_seconds: float) -> bool:
    """Make the storage's bucket if it is missing; True if it was made, False if it was there.

    Waits up to `wait_seconds` for the endpoint to answer (a server just started refuses
    connections, then answers 5xx while its parts connect). The bucket is made without an ACL,
    so private; then requests without credentials must be refused, or it raises: a bucket that
    anyone can list or read is never used. Two nodes running it at once make one bucket.
    """
    client = storage.connection.meta.client
    name = storage.bucket_name
    deadline = time.monotonic() + wait_seconds
    created = False
    while True:
        try:
            if _bucket_exists(client, name):
                break
            _bucket_create(client, name, region=storage.region_name or "us-east-1")
            created = True
            continue
        except ClientError as error:
            status = _status(error)
            if status in (401, 403):
                raise BucketError(
                    f"The endpoint refused the credentials for bucket {name!r} ({status}): check "
                    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
                ) from error
            if status < 500 or time.monotonic() > deadline:
                raise BucketError(f"Bucket {name!r}: {error}") from error
        except BotoCoreError as error:  # no connection yet, or a timeout
            if time.monotonic() > deadline:
                raise BucketError(
                    f"No answer from {storage.endpoint_url or 'Amazon S3'} within "
                    f"{wait_seconds:g} s: {error}"
                ) from error
        time.sleep(0.25)
    _refuse_anonymous(storage)
    return created


def _bucket_exists(client, name: str) -> bool:
    try:
        client.head_bucket(Bucket=name)
    except ClientError as error:
        if _status(error) == 404:
            return False
        raise
    return True


def _bucket_create(client, name: str, *, region: str) -> None:
    # Amazon wants the region named, except its first one, which refuses to be named.
    options = {} if region == "us-east-1" else {"LocationConstraint": region}
    try:
        client.create_bucket(
            Bucket=name, **({"CreateBucketConfiguration": options} if options else {})
        )
    except ClientError as error:
        # Made by another node meanwhile: that is the bucket wanted.
        if error.response.get("Error", {}).get("Code") != "BucketAlreadyOwnedByYou":
            raise


def _refuse_anonymous(storage: PrivateS3Storage) -> None:
    """An unsigned listing, and an unsigned read of a name that does not exist, must both be
    refused (403): a read answered "no such key" (404) means anyone may read what exists."""
    anonymous = storage.unsigned_connection.meta.client
    probes = [
        ("listed", lambda: anonymous.list_objects_v2(Bucket=storage.bucket_name, MaxKeys=1)),
        (
            "read",
            lambda: anonymous.head_object(
                Bucket=storage.bucket_name, Key=f"ensure-bucket-probe-{uuid.uuid4().hex}"
            ),
        ),
    ]
    for what, probe in probes:
        try:
            probe()
        except ClientError as error:
            if _status(error) in (401, 403):
                continue
            if _status(error) != 404:
                raise BucketError(f"Bucket {storage.bucket_name!r}: {error}") from error
        raise BucketError(
            f"Bucket {storage.bucket_name!r} can be {what} without credentials: make it private "
            "(remove its public ACL or policy) before the portal stores anything in it."
        )


@dataclass
class MoveReport:
    """What a move found, file by file: names for the problems, counts for the rest."""

    moved: int = 0
    already_there: int = 0
    deleted_locally: int = 0
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.mismatched


def stored_files_move(
    *,
    source: Storage,
    target: Storage,
    delete_local: bool = False,
    dry_run: bool = False,
    say: Callable[[str], None] = lambda line: None,
) -> MoveReport:
    """Copy every stored file (selectors.stored_files) from `source` to `target` under the same
    name, and read each copy back to check its SHA-256. Idempotent and resumable: a file
    already in `target` with the same checksum is counted, not copied again (one no longer on
    the disk, after `delete_local`, too, checked against the recorded SHA-256 if there is one).

    A file is a mismatch, and is left as it is on both sides, when its bytes on `source` differ
    from the SHA-256 recorded at upload, when `target` already holds different bytes under its
    name (never overwritten), or when the copy read back differs. `delete_local` removes a
    file from `source` only once `target` holds it verified; `dry_run` writes and deletes
    nothing. `say` receives one line per problem and per file moved.
    """
    report = MoveReport()
    for stored in stored_files():
        name = stored.name
        on_disk = source.exists(name)
        in_bucket = target.exists(name)
        if not on_disk:
            if (
                in_bucket
                and stored.recorded_sha256
                and stored.recorded_sha256 != (stored_file_sha256(storage=target, name=name))
            ):
                report.mismatched.append(name)
                say(f"checksum mismatch: {name} in the bucket differs from the upload's SHA-256")
            elif in_bucket:
                report.already_there += 1
            else:
                report.missing.append(name)
                say(f"missing on disk: {name} ({stored.field})")
            continue
        local_sha = stored_file_sha256(storage=source, name=name)
        if stored.recorded_sha256 and local_sha != stored.recorded_sha256:
            report.mismatched.append(name)
            say(f"checksum mismatch: {name} on disk differs from the SHA-256 recorded at upload")
            continue
        if in_bucket:
            if stored_file_sha256(storage=target, name=name) != local_sha:
                report.mismatched.append(name)
                say(f"checksum mismatch: {name} in the bucket differs from the disk (left as is)")
                continue
            report.already_there += 1
        elif dry_run:
            report.moved += 1
            say(f"would move: {name}")
            continue
        else:
            with source.open(name, "rb") as content:
                saved = target.save(name, content)
            if saved != name:  # somebody wrote the name meanwhile: ours went elsewhere
                target.delete(saved)
            if saved != name or stored_file_sha256(storage=target, name=name) != local_sha:
                report.mismatched.append(name)
                say(f"checksum mismatch: {name} read back from the bucket differs")
                continue
            report.moved += 1
            say(f"moved: {name}")
        if delete_local and not dry_run:
            source.delete(name)
            report.deleted_locally += 1
    return report
