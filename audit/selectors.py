"""Reading the audit trail: checking its chain and exporting it so that anyone can check it."""

import dataclasses
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from audit.models import (
    GENESIS_HASH,
    SCHEME_PAYLOAD_DIGEST,
    TOMBSTONE_ACTION,
    AuditEntry,
    canonical_json,
    canonical_timestamp,
    tombstone_digest,
)

# The export's columns: the fields the hash covers, in this order, then the hash.
EXPORT_COLUMNS = [
    "sequence",
    "at",
    "actor",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "application",
    "reason",
    "data",
    "previous_hash",
    "hash",
    "scheme",
    "payload_salt",
    "payload_hash",
    "tombstoned_at",
]


@dataclasses.dataclass
class ChainReport:
    """What a walk along the chain found; `problems` is empty when the chain is intact."""

    count: int = 0
    # Tombstoned entries of scheme 1, whose hash covered the erased payload: checked by their
    # links and their tombstone record only.
    legacy_tombstones: int = 0
    last_sequence: int = 0
    last_hash: str = GENESIS_HASH
    problems: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _missing(first: int, last: int) -> str:
    if first == last:
        return f"entry #{first} is missing"
    return f"entries #{first}–#{last} are missing"


def _entry_intact(entry: AuditEntry, tombstones: dict[int, str], report: ChainReport) -> bool:
    """Whether the entry still says what was recorded, or is a recorded tombstone of it."""
    if entry.tombstoned_at is not None:
        # Its payload must be the tombstone the erasure recorded, not any other text.
        if tombstones.get(entry.sequence) != tombstone_digest(entry.payload()):
            return False
        if entry.scheme != SCHEME_PAYLOAD_DIGEST:
            report.legacy_tombstones += 1
            return True  # its hash covered the erased payload: the links hold it in place
        return entry.compute_hash() == entry.hash
    if entry.scheme == SCHEME_PAYLOAD_DIGEST and entry.compute_payload_hash() != entry.payload_hash:
        return False
    return entry.compute_hash() == entry.hash


def chain_verify(
    entries: Iterable[AuditEntry], *, tombstones: dict[int, str] | None = None
) -> ChainReport:
    """Walk entries in sequence order from #1 and report every break in the chain.

    A changed entry no longer matches its hash; a removed entry leaves a gap in the numbers;
    a rewritten link no longer names the hash of the entry before. Entries removed from the
    end leave no trace here: compare the result with a hash kept elsewhere (an export).
    A tombstoned entry (its personal payload erased) verifies by the digest of its original
    payload, which its hash covers, and its tombstone must be the one recorded in
    `tombstones` ({sequence: digest}, from the `audit.tombstoned` entries).
    Memory stays constant: pass a queryset's `.iterator()`.
    """
    report = ChainReport()
    tombstones = tombstones or {}
    for entry in entries:
        report.count += 1
        if not _entry_intact(entry, tombstones, report):
            report.problems.append(f"entry #{entry.sequence} was changed")
        expected = report.last_sequence + 1
        if entry.sequence > expected:
            report.problems.append(_missing(expected, entry.sequence - 1))
        elif entry.sequence < expected:
            report.problems.append(f"entry #{entry.sequence} is out of order")
        elif entry.previous_hash != report.last_hash:
            if entry.sequence == 1:
                report.problems.append("entry #1 does not start the chain")
            else:
                report.problems.append(
                    f"entry #{entry.sequence} does not follow #{report.last_sequence}"
                )
        report.last_sequence = entry.sequence
        report.last_hash = entry.hash
    return report


def audit_chain_verify(*, chunk_size: int = 2000) -> ChainReport:
    """Check the whole audit trail, streaming it from the database in sequence order."""
    entries = AuditEntry.objects.order_by("sequence").iterator(chunk_size=chunk_size)
    return chain_verify(entries, tombstones=audit_tombstones())


def audit_tombstones() -> dict[int, str]:
    """{sequence: digest of its tombstone} from every tombstone record (checked by the chain
    like any entry)."""
    tombstones = {}
    for data in AuditEntry.objects.filter(action=TOMBSTONE_ACTION).values_list("data", flat=True):
        for sequence, digest in (data.get("tombstones") or {}).items():
            tombstones[int(sequence)] = digest
    return tombstones


def audit_export_rows(queryset: QuerySet[AuditEntry]) -> Iterator[dict[str, str | int | None]]:
    """Rows for a CSV export, in sequence order, with `EXPORT_COLUMNS` as keys.

    Each value is what the hash covers: `at` in ISO 8601 UTC, `data` as canonical JSON text.
    To re-verify a row of scheme 1, build {column: value} for the columns from `sequence` to
    `previous_hash`, with `sequence`, `actor` and `application` as integers (or null when
    empty) and `data` parsed as JSON; serialise it with sorted keys, separators "," and ":",
    UTF-8 without escaping; its SHA-256 in hex is `hash`. A row of scheme 2 hashes its payload
    apart: while `payload_salt` is there, SHA-256 of the salt followed by the serialised
    {actor_label, reason, data} is `payload_hash`; `hash` is then the SHA-256 of the
    serialised {sequence, at, actor, action, object_type, object_id, application,
    payload_hash, previous_hash, scheme (an integer)}. A tombstoned row (`tombstoned_at`) has
    lost its salt and its original payload, and is checked by that second hash. Each
    `previous_hash` is the hash of the row before (64 zeros for #1). A filtered export checks
    row by row; links hold between neighbours.
    The CSV file (`audit.exports`) neutralises text a spreadsheet would read as a formula with
    a leading apostrophe; `spreadsheets.cells.csv_cell_original` gives the value back (drop one
    apostrophe from a cell that is apostrophes followed by = + - @, a tab or a CR).
    """
    for entry in queryset.order_by("sequence").iterator(chunk_size=2000):
        row = {**entry.canonical_fields(), **entry.payload()}
        row["data"] = canonical_json(entry.data).decode("utf-8")
        row["at"] = canonical_timestamp(entry.at)
        row["hash"] = entry.hash
        row["scheme"] = entry.scheme
        row["payload_salt"] = entry.payload_salt
        row["payload_hash"] = entry.payload_hash
        row["tombstoned_at"] = (
            canonical_timestamp(entry.tombstoned_at) if entry.tombstoned_at else ""
        )
        yield {column: row[column] for column in EXPORT_COLUMNS}


def audit_entries_for_application(*, application_id: int) -> QuerySet[AuditEntry]:
    """The application's audit trail, oldest first, ready for its change page."""
    return (
        AuditEntry.objects.filter(application_id=application_id)
        .select_related("actor")
        .order_by("sequence")
    )
