"""Recording audit entries: the only way an entry is written.

The audit app is infrastructure: it knows the user and the application only as the models its
entries point to, and imports no other app.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from audit.models import (
    GENESIS_HASH,
    SCHEME_PAYLOAD_DIGEST,
    TOMBSTONE_ACTION,
    AuditEntry,
    tombstone_digest,
)

# pg_advisory_xact_lock key held while an entry is recorded ("JANEAUDT" in ASCII).
AUDIT_LOCK_KEY = 0x4A414E4541554454
PORTAL_LABEL = "the portal"


def _reject_floats(value, path: str = "data") -> None:
    # A float's text form differs between languages and PostgreSQL's jsonb may rewrite it
    # (1e+100 comes back as an integer), so the hash could not be recomputed reliably.
    if isinstance(value, float):
        raise ValueError(f"{path} is a float; record it as a string or a Decimal.")
    if isinstance(value, dict):
        for key, item in value.items():
            _reject_floats(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _reject_floats(item, f"{path}[{index}]")


def _normalised_data(data) -> object:
    """The data exactly as it will read back from the database: plain JSON, no floats."""
    normalised = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, allow_nan=False))
    _reject_floats(normalised)
    return normalised


def _chain_lock_and_head() -> AuditEntry | None:
    """Serialise recorders until the caller's transaction ends; return the last entry."""
    last = AuditEntry.objects.order_by("-sequence").only("sequence", "hash")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_LOCK_KEY])
        # Under READ COMMITTED this query takes a fresh snapshot after the lock is granted,
        # so it sees the entry the previous holder committed.
        return last.first()
    # SQLite writes one transaction at a time anyway; elsewhere lock the head row. The
    # unique sequence and previous_hash still refuse a fork if two first entries race.
    return last.select_for_update().first()


@transaction.atomic
def audit_record(
    *,
    action: str,
    obj: models.Model,
    actor: models.Model | None,
    reason: str = "",
    data: dict | None = None,
    application: models.Model | None = None,
    actor_label: str | None = None,
    link_application: bool = True,
) -> AuditEntry:
    """Append one entry to the audit trail, chained to the last one.

    Call it inside the transaction that makes the change, so the entry commits or rolls back
    with it. The chain lock is then held until that transaction ends: keep the recording late
    in the transaction. `application` defaults to `obj` itself, or to `obj.application_id`
    when the object belongs to one. `data` must be JSON (Decimal, dates and UUIDs become
    strings); floats are refused. `actor_label` defaults to the actor's email, or
    "the portal" when there is no actor. `link_application=False` links no application (an
    application about to be deleted: a link would protect it).
    """
    if obj.pk is None:
        raise ValueError("Record an audit entry for a saved object.")
    if not link_application:
        application_id = None
    elif application is not None:
        application_id = application.pk
    elif isinstance(obj, AuditEntry._meta.get_field("application").related_model):
        application_id = obj.pk
    else:
        application_id = getattr(obj, "application_id", None)
    normalised = _normalised_data(data)
    head = _chain_lock_and_head()
    entry = AuditEntry(
        sequence=head.sequence + 1 if head else 1,
        at=timezone.now(),
        actor=actor,
        actor_label=actor_label or (actor.email if actor else PORTAL_LABEL),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        application_id=application_id,
        reason=reason,
        data=normalised,
        previous_hash=head.hash if head else GENESIS_HASH,
        scheme=SCHEME_PAYLOAD_DIGEST,
    )
    entry.seal_payload()
    entry.hash = entry.compute_hash()
    entry.save()
    return entry


@transaction.atomic
def audit_entries_tombstone(
    *, entries, replace, obj: models.Model, actor: models.Model | None, reason: str
) -> list[int]:
    """Replace the personal payload of entries by a tombstone, keeping every hash.

    `replace(payload) -> payload` gives the tombstone of one entry's payload (who as recorded,
    why, the details), with the person taken out. Each entry keeps its hash: a scheme 2 entry's
    hash covers the salted digest of its original payload (`payload_hash`), which stays while
    the salt goes. One new entry then records which entries were tombstoned and a digest of
    each tombstone, so `audit_verify` also knows a tombstone from a forged payload. An entry
    of scheme 1 hashed its payload in full: its tombstone is checked by that record and by its
    links only (the verify command counts them). Returns the numbers tombstoned.
    """
    tombstoned = {}
    now = timezone.now()
    for entry in entries:
        payload = replace(entry.payload())
        normalised = _normalised_data(payload["data"])
        payload = {**payload, "data": normalised}
        if payload == entry.payload():
            continue
        # The ORM refuses to change an entry (AuditEntryQuerySet): this is the one exception,
        # and it touches only the payload, never a field the entry's hash covers.
        models.QuerySet.update(
            AuditEntry.objects.filter(sequence=entry.sequence),
            actor_label=payload["actor_label"],
            reason=payload["reason"],
            data=normalised,
            payload_salt="",
            tombstoned_at=now,
        )
        tombstoned[str(entry.sequence)] = tombstone_digest(payload)
    if tombstoned:
        audit_record(
            action=TOMBSTONE_ACTION,
            obj=obj,
            actor=actor,
            reason=reason,
            data={"tombstones": tombstoned},
            link_application=False,
        )
    return sorted(int(sequence) for sequence in tombstoned)
