import datetime
import hashlib
import json
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The previous hash of the first entry: the chain starts from nothing.
GENESIS_HASH = "0" * 64

# How an entry's hash is made. Scheme 1 (the first entries) hashes every field, the personal
# payload (who as recorded, why, the details) included: such an entry cannot lose its payload
# and still be recomputed. Scheme 2 hashes the payload apart, salted (`payload_hash`), and the
# entry's hash covers that digest: erasing a person replaces the payload by a tombstone and the
# salt with it, the digest stays, and the entry still verifies (docs/erasure.md).
SCHEME_FULL = 1
SCHEME_PAYLOAD_DIGEST = 2
PAYLOAD_FIELDS = ("actor_label", "reason", "data")
# The action of the entry that records which entries were tombstoned, and what their tombstones
# say (a digest of each): `audit_verify` checks a tombstoned entry's payload against it.
TOMBSTONE_ACTION = "audit.tombstoned"


class AuditEntryIsAppendOnly(Exception):
    """Raised by any attempt to change or remove an audit entry through the ORM."""


class AuditEntryQuerySet(models.QuerySet):
    """Entries are only ever added, one at a time, by `audit.services.audit_record`."""

    def update(self, **kwargs):
        raise AuditEntryIsAppendOnly("Audit entries cannot be changed.")

    def delete(self):
        raise AuditEntryIsAppendOnly("Audit entries cannot be deleted.")

    def bulk_create(self, *args, **kwargs):
        raise AuditEntryIsAppendOnly("Audit entries are recorded one by one by audit_record.")

    def bulk_update(self, *args, **kwargs):
        raise AuditEntryIsAppendOnly("Audit entries cannot be changed.")


def canonical_timestamp(value: datetime.datetime) -> str:
    """ISO 8601 in UTC with microseconds, e.g. 2026-03-01T09:30:00.000000Z."""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value) -> bytes:
    """The one serialisation the hash covers: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


class AuditEntry(models.Model):
    """One event in the portal's audit trail: who did what to which object, when and why.

    Entries form a hash chain: each hash covers the entry's fields and the previous entry's
    hash, so a changed, removed or reordered entry is detectable (`manage.py audit_verify`).
    The sequence number is the primary key: one number, gap-free, in the order of recording.
    """

    sequence = models.PositiveBigIntegerField(_("number"), primary_key=True)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the portal itself acted."),
    )
    actor_label = models.CharField(_("by (as recorded)"), max_length=254)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    # PROTECT, not SET_NULL: nulling the link would change a hashed field, and an application
    # with an audited history must not disappear from under it. The admin deletes only an
    # application no entry names (applications/services/deletion.py).
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
        db_index=False,  # the (application, sequence) index below serves it
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)
    scheme = models.PositiveSmallIntegerField(_("hash scheme"), default=SCHEME_PAYLOAD_DIGEST)
    # Scheme 2: SHA-256 of the salt and the canonical payload. The salt goes with the payload
    # when it is tombstoned, so nobody can then confirm a guess of what it said.
    payload_salt = models.CharField(_("payload salt"), max_length=32, blank=True)
    payload_hash = models.CharField(_("payload hash"), max_length=64, blank=True)
    tombstoned_at = models.DateTimeField(
        _("personal data erased"),
        null=True,
        blank=True,
        help_text=_("The payload was replaced by a tombstone; the entry keeps its hash."),
    )

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "audit"
        person = ("actor",)
        scrub = ("actor_label", "reason", "data")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["application", "sequence"], name="audit_application"),
        ]
        constraints = [
            # Two entries claiming the same predecessor would be a fork in the chain.
            models.UniqueConstraint(fields=["previous_hash"], name="audit_no_fork"),
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="audit_sequence_1"),
        ]

    def __str__(self):
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditEntryIsAppendOnly("Audit entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEntryIsAppendOnly("Audit entries cannot be deleted.")

    def payload(self) -> dict:
        """The part of the entry that may name a person: erased by a tombstone."""
        return {name: getattr(self, name) for name in PAYLOAD_FIELDS}

    def compute_payload_hash(self) -> str:
        return payload_digest(self.payload_salt, self.payload())

    def seal_payload(self) -> None:
        """Salt and digest the payload (scheme 2): call once, before `compute_hash`."""
        self.payload_salt = secrets.token_hex(16)
        self.payload_hash = self.compute_payload_hash()

    def canonical_fields(self) -> dict:
        """Every field but the hash, as the hash sees it (and as the export writes it)."""
        if self.scheme == SCHEME_PAYLOAD_DIGEST:
            return {
                "sequence": self.sequence,
                "at": canonical_timestamp(self.at),
                "actor": self.actor_id,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "application": self.application_id,
                "payload_hash": self.payload_hash,
                "previous_hash": self.previous_hash,
                "scheme": self.scheme,
            }
        return {
            "sequence": self.sequence,
            "at": canonical_timestamp(self.at),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "application": self.application_id,
            "reason": self.reason,
            "data": self.data,
            "previous_hash": self.previous_hash,
        }

    def compute_hash(self) -> str:
        return hashlib.sha256(canonical_json(self.canonical_fields())).hexdigest()


def payload_digest(salt: str, payload: dict) -> str:
    """SHA-256 in hex of the salt's text followed by the payload's canonical JSON."""
    return hashlib.sha256(salt.encode("utf-8") + canonical_json(payload)).hexdigest()


def tombstone_digest(payload: dict) -> str:
    """The unsalted digest of a tombstone's payload, as the tombstone record keeps it."""
    return hashlib.sha256(canonical_json(payload)).hexdigest()
