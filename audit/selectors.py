"""Reading the audit trail: checking its chain and exporting it so that anyone can check it."""

import dataclasses
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from audit.models import GENESIS_HASH, AuditEntry, canonical_json

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
]


@dataclasses.dataclass
class ChainReport:
    """What a walk along the chain found; `problems` is empty when the chain is intact."""

    count: int = 0
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


def chain_verify(entries: Iterable[AuditEntry]) -> ChainReport:
    """Walk entries in sequence order from #1 and report every break in the chain.

    A changed entry no longer matches its hash; a removed entry leaves a gap in the numbers;
    a rewritten link no longer names the hash of the entry before. Entries removed from the
    end leave no trace here: compare the result with a hash kept elsewhere (an export).
    Memory stays constant: pass a queryset's `.iterator()`.
    """
    report = ChainReport()
    for entry in entries:
        report.count += 1
        if entry.compute_hash() != entry.hash:
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
    return chain_verify(entries)


def audit_export_rows(queryset: QuerySet[AuditEntry]) -> Iterator[dict[str, str | int | None]]:
    """Rows for a CSV export, in sequence order, with `EXPORT_COLUMNS` as keys.

    Each value is what the hash covers: `at` in ISO 8601 UTC, `data` as canonical JSON text.
    To re-verify a row, build {column: value} for every column but `hash`, with `sequence`,
    `actor` and `application` as integers (or null when empty) and `data` parsed as JSON;
    serialise it with sorted keys, separators "," and ":", UTF-8 without escaping; its
    SHA-256 in hex is `hash`, and `previous_hash` is the hash of the row before
    (64 zeros for #1). A filtered export checks row by row; links hold between neighbours.
    The CSV file (`audit.exports`) neutralises text a spreadsheet would read as a formula with
    a leading apostrophe; `spreadsheets.cells.csv_cell_original` gives the value back (drop one
    apostrophe from a cell that is apostrophes followed by = + - @, a tab or a CR).
    """
    for entry in queryset.order_by("sequence").iterator(chunk_size=2000):
        row = entry.canonical_fields()
        row["data"] = canonical_json(row["data"]).decode("utf-8")
        row["hash"] = entry.hash
        yield {column: row[column] for column in EXPORT_COLUMNS}


def audit_entries_for_application(*, application_id: int) -> QuerySet[AuditEntry]:
    """The application's audit trail, oldest first, ready for its change page."""
    return (
        AuditEntry.objects.filter(application_id=application_id)
        .select_related("actor")
        .order_by("sequence")
    )
