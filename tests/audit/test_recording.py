"""audit_record appends chained entries, and nothing in the portal can change them."""

import csv
import datetime
import decimal
import hashlib
import io
import json

import pytest
from django.db import transaction

from applications.models import StatusChange
from audit.exports import audit_csv_response
from audit.models import GENESIS_HASH, AuditEntry, AuditEntryIsAppendOnly
from audit.selectors import EXPORT_COLUMNS
from audit.services import audit_record
from spreadsheets.cells import csv_cell_original
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_audit_record_chains_entries_from_the_genesis_hash(record, application):
    first, second, third = record(3)

    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    stored = AuditEntry.objects.get(sequence=2)
    assert stored.hash == stored.compute_hash() == second.hash
    assert stored.actor_label == application.created_by.email
    assert stored.object_type == "applications.application"
    assert stored.object_id == str(application.pk)
    assert stored.application_id == application.pk
    assert stored.data == {"from": "draft", "to": "submitted", "step": 1}


def test_audit_record_finds_the_application_of_an_object_that_belongs_to_one(application):
    change = StatusChange.objects.create(application=application, to_status="submitted")

    entry = audit_record(action="application.status", obj=change, actor=None)

    assert entry.application_id == application.pk
    assert entry.object_type == "applications.statuschange"
    assert entry.actor_label == "the portal"


def test_audit_record_keeps_decimals_and_dates_as_text_and_refuses_floats(application):
    entry = audit_record(
        action="review.scored",
        obj=application,
        actor=None,
        data={"score": decimal.Decimal("4.50"), "on": datetime.date(2026, 3, 1)},
    )
    entry.refresh_from_db()
    assert entry.data == {"score": "4.50", "on": "2026-03-01"}
    assert entry.hash == entry.compute_hash()

    with pytest.raises(ValueError, match=r"data\.scores\[1\] is a float"):
        audit_record(action="x", obj=application, actor=None, data={"scores": [1, 2.5]})


def test_audit_record_rolls_back_with_the_callers_transaction_without_a_gap(record):
    record(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(1)
        raise RuntimeError("the change failed")

    (entry,) = record(1)

    assert entry.sequence == 2
    assert list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True)) == [
        1,
        2,
    ]


def test_audit_entry_refuses_to_be_changed_or_deleted(record):
    (entry,) = record(1)

    entry.reason = "Something else"
    with pytest.raises(AuditEntryIsAppendOnly):
        entry.save()
    with pytest.raises(AuditEntryIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditEntryIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="Something else")
    with pytest.raises(AuditEntryIsAppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditEntryIsAppendOnly):
        AuditEntry.objects.bulk_create([AuditEntry(sequence=9)])
    assert AuditEntry.objects.get().reason == "Step 0"


def test_audit_entry_protects_its_actor_and_application(record, application):
    from django.db.models import ProtectedError

    record(1)

    with pytest.raises(ProtectedError) as raised:
        application.delete()

    assert {type(item) for item in raised.value.protected_objects} == {AuditEntry}


def _serialised(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def reverify_csv(text: str) -> None:
    """What anyone holding the export can do, with nothing but the standard library."""
    previous = "0" * 64
    for row in csv.DictReader(io.StringIO(text)):
        # The file neutralises formulas: "'=..." was "=...", "''=..." was "'=...".
        fields = {column: csv_cell_original(value) for column, value in row.items()}
        for column in ["sequence", "actor", "application", "scheme"]:
            fields[column] = int(fields[column]) if fields[column] else None
        fields["data"] = json.loads(fields["data"])
        payload = {name: fields[name] for name in ["actor_label", "reason", "data"]}
        if fields["scheme"] == 1:
            names = EXPORT_COLUMNS[: EXPORT_COLUMNS.index("previous_hash") + 1]
        else:
            if fields["payload_salt"]:
                digest = hashlib.sha256(fields["payload_salt"].encode() + _serialised(payload))
                assert digest.hexdigest() == fields["payload_hash"]
            names = ["sequence", "at", "actor", "action", "object_type", "object_id"]
            names += ["application", "payload_hash", "previous_hash", "scheme"]
        hashed = {name: fields[name] for name in names}
        assert hashlib.sha256(_serialised(hashed)).hexdigest() == row["hash"]
        assert row["previous_hash"] == previous
        previous = row["hash"]


def test_audit_export_rows_can_be_reverified_from_the_csv_alone(record, application):
    record(2)
    audit_record(
        action="decision.letter.released",
        obj=UserFactory(),
        actor=None,
        reason="Lettre envoyée – « accepté »",
        data={"letters": 3, "note": 'ünïcode, commas; "quotes"\nand lines'},
    )
    audit_record(
        action="application.status",
        obj=application,
        actor=None,
        reason='=HYPERLINK("http://evil.example","x")',
        data={"note": "'=already quoted"},
    )
    audit_record(action="application.status", obj=application, actor=None, reason="\t@SUM(A1)")

    response = audit_csv_response(AuditEntry.objects.all(), "audit.csv")
    text = b"".join(response.streaming_content).decode()

    reverify_csv(text)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["sequence"] for row in rows] == ["1", "2", "3", "4", "5"]
    assert rows[3]["reason"] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows[4]["reason"] == "'\t@SUM(A1)"
    cells = [value for row in rows for value in row.values()]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert rows[2]["actor"] == "" and rows[2]["application"] == ""
    assert rows[0]["at"].endswith("Z")
