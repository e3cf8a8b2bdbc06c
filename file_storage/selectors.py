"""Reads: every file the database says is stored, found through the app registry."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core.files.storage import Storage
from django.db import models

CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class StoredFile:
    """One name a FileField of a row holds, and the SHA-256 recorded beside it, if any."""

    name: str
    field: str  # "applications.ApplicationDocument.file"
    recorded_sha256: str = ""


def stored_files() -> Iterator[StoredFile]:
    """Every distinct name held by every FileField of every installed model, each once.

    A model that records its file's SHA-256 in a field named `sha256` (an uploaded document
    does, applications/models/content.py) gives it too, so that a copy can be checked against
    what was uploaded, not only against what is on the disk now.
    """
    seen: set[str] = set()
    for model in apps.get_models():
        field_names = {field.name for field in model._meta.concrete_fields}
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            columns = [field.name] + (["sha256"] if "sha256" in field_names else [])
            rows = (
                model._default_manager.exclude(**{field.name: ""})
                .exclude(**{f"{field.name}__isnull": True})
                .order_by(field.name)
                .values_list(*columns)
                .distinct()
            )
            label = f"{model._meta.label}.{field.name}"
            for name, *recorded in rows.iterator():
                if name in seen:
                    continue
                seen.add(name)
                yield StoredFile(name=name, field=label, recorded_sha256=(recorded or [""])[0])


def stored_file_sha256(*, storage: Storage, name: str) -> str:
    """The SHA-256 of a stored file, read from `storage` a chunk at a time."""
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stored:
        for chunk in iter(lambda: stored.read(CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()
