""" "Download my data": a person's request, the job that builds their archive, and its expiry.

Asking writes the request and an outbox item (`privacy.export`) in one transaction; a worker
builds the archive after the commit: one ZIP holding `personal-data.json` (every group of the
inventory, privacy/inventory.py) and the files the person uploaded. The job commits its
progress as it goes, so the person's page can show it, and takes a PostgreSQL advisory lock on
the export, so a second relay that picks the item up while the first is still at it (its lease
ran out) leaves it alone. The archive can be downloaded by its owner alone until
DATA_EXPORT_EXPIRY_DAYS have passed; then beat removes the file, and the retention rule
`data_exports` (privacy/retention.py) deletes the request itself once its grace period is over.
"""

import datetime
import json
import tempfile
import zipfile

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from outbox.registry import Effect, Later, effect_register
from outbox.services import outbox_enqueue
from privacy.enums import ExportStatus
from privacy.inventory import personal_data_collect, personal_files
from privacy.models import DataExport

EXPORT_EFFECT = "privacy.export"
OPEN = (ExportStatus.QUEUED, ExportStatus.BUILDING)
# An arbitrary first key for the advisory locks of exports (pg_try_advisory_lock(key, id)).
_LOCK_SPACE = 0x70726976  # "priv"


def export_request(*, user) -> DataExport:
    """Ask for a copy of the person's data, built in the background; while one is being made,
    that one is returned (asking twice builds once)."""
    existing = DataExport.objects.filter(user=user, status__in=OPEN).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user, requested_at=timezone.now())
            outbox_enqueue(
                kind=EXPORT_EFFECT, key=f"{EXPORT_EFFECT}:{export.pk}", payload={"id": export.pk}
            )
    except IntegrityError:
        # A double click: both requests found none open, and the other one's insert won (the
        # database allows one open export per person). Its export is the one under way.
        return DataExport.objects.filter(user=user).order_by("-requested_at").first()
    return export


def export_build(*, export_id: int) -> DataExport | Later | None:
    """Build the export's archive; idempotent (a ready, failed or vanished export is left as
    it is). Performed with no transaction open, each step's progress is committed at once."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_SPACE, export_id])
        if not cursor.fetchone()[0]:
            return Later("Being built by another worker.")
    try:
        return _build(export_id)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_SPACE, export_id])


def _build(export_id: int) -> DataExport | None:
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status not in OPEN:
        return export
    _progress(export, 1, status=ExportStatus.BUILDING)
    user = export.user
    data = {
        "format": "jane-personal-data/1",
        "made_at": timezone.now().isoformat(),
        "person": {"id": user.pk, "email": user.email},
        "groups": personal_data_collect(
            user, progress=lambda done, total: _progress(export, 1 + 59 * done // total)
        ),
    }
    files = personal_files(user)
    data["files"] = [name for name, _stored in files]
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "personal-data.json",
                json.dumps(data, ensure_ascii=False, indent=2, default=str),
            )
            for done, (name, stored) in enumerate(files, start=1):
                try:
                    with stored.open("rb") as source, archive.open(name, "w") as target:
                        for chunk in iter(lambda source=source: source.read(1 << 20), b""):
                            target.write(chunk)
                except FileNotFoundError:
                    archive.writestr(f"{name}.missing.txt", "This file is no longer stored.")
                _progress(export, 60 + 35 * done // len(files))
        spool.seek(0)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        export.file.save(f"personal-data-{stamp}.zip", File(spool), save=False)
    now = timezone.now()
    export.size = export.file.size
    export.status, export.progress, export.ready_at = ExportStatus.READY, 100, now
    export.expires_at = now + datetime.timedelta(days=settings.DATA_EXPORT_EXPIRY_DAYS)
    export.save(update_fields=["file", "size", "status", "progress", "ready_at", "expires_at"])
    return export


def _progress(export: DataExport, percent: int, *, status: str | None = None) -> None:
    export.progress = min(percent, 99)
    fields = ["progress"]
    if status is not None:
        export.status = status
        fields.append("status")
    export.save(update_fields=fields)


def _gave_up(payload: dict, error: str) -> None:
    DataExport.objects.filter(pk=payload["id"], status__in=OPEN).update(
        status=ExportStatus.FAILED, error=error[:2000]
    )


def export_downloadable(export: DataExport, *, now: datetime.datetime | None = None) -> bool:
    """Whether the archive may be downloaded now: built, and its link not expired."""
    now = now or timezone.now()
    return (
        export.status == ExportStatus.READY
        and bool(export.file)
        and export.expires_at is not None
        and export.expires_at > now
    )


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Remove the archives whose link has expired; returns how many. Idempotent."""
    now = now or timezone.now()
    expired = 0
    for export in DataExport.objects.filter(status=ExportStatus.READY, expires_at__lte=now):
        with transaction.atomic():
            if export.file:
                export.file.delete(save=False)
            export.status = ExportStatus.EXPIRED
            export.save(update_fields=["file", "status"])
        expired += 1
    return expired


def export_delete(*, export_id: int) -> None:
    """Delete an export's request and, once that is committed, its archive (a rolled-back
    deletion keeps the file). Idempotent."""
    export = DataExport.objects.filter(pk=export_id).first()
    if export is None:
        return
    storage, name = export.file.storage, export.file.name
    export.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)


effect_register(
    EXPORT_EFFECT,
    Effect(
        perform=lambda payload: export_build(export_id=payload["id"]),
        external=True,
        gave_up=_gave_up,
    ),
)
