"""audit_verify reports a changed, removed or relinked entry, and passes an intact chain."""

import hashlib

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from audit.selectors import chain_verify

pytestmark = pytest.mark.django_db


def verify(*args):
    from io import StringIO

    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def test_audit_verify_passes_an_intact_chain(record):
    assert "OK: 0 entries" in verify()
    entries = record(5)

    output = verify("--chunk-size", "2")

    assert f"OK: 5 entries, chain intact, last #5 {entries[-1].hash}" in output


def test_audit_verify_reports_an_entry_changed_in_the_database(record, raw_sql):
    record(4)
    raw_sql("UPDATE audit_auditentry SET reason = 'Nothing happened' WHERE sequence = 2")

    with pytest.raises(CommandError, match="entry #2 was changed") as raised:
        verify()

    assert "1 problem(s) in 4 entries" in str(raised.value)


def test_audit_verify_reports_changed_details(record, raw_sql):
    record(3)
    raw_sql(
        "UPDATE audit_auditentry SET data = jsonb_set(data, '{to}', '\"rejected\"') "
        "WHERE sequence = 3"
    )

    with pytest.raises(CommandError, match="entry #3 was changed"):
        verify()


def test_audit_verify_reports_a_deleted_entry_as_missing(record, raw_sql):
    record(6)
    raw_sql("DELETE FROM audit_auditentry WHERE sequence = 2")
    raw_sql("DELETE FROM audit_auditentry WHERE sequence IN (4, 5)")

    with pytest.raises(CommandError) as raised:
        verify()

    message = str(raised.value)
    assert "entry #2 is missing" in message
    assert "entries #4–#5 are missing" in message
    assert "2 problem(s) in 3 entries" in message


def test_audit_verify_reports_the_first_entry_missing(record, raw_sql):
    record(2)
    raw_sql("DELETE FROM audit_auditentry WHERE sequence = 1")

    with pytest.raises(CommandError, match="entry #1 is missing"):
        verify()


def test_audit_verify_reports_a_rewritten_link_even_with_a_recomputed_hash(record, raw_sql):
    record(4)
    forged = AuditEntry.objects.get(sequence=3)
    forged.previous_hash = hashlib.sha256(b"another history").hexdigest()
    raw_sql(
        "UPDATE audit_auditentry SET previous_hash = %s, hash = %s WHERE sequence = 3",
        [forged.previous_hash, forged.compute_hash()],
    )

    with pytest.raises(CommandError) as raised:
        verify()

    message = str(raised.value)
    assert "entry #3 does not follow #2" in message
    assert "entry #4 does not follow #3" in message
    assert "was changed" not in message


def test_audit_verify_reports_a_rewritten_link_alone(record, raw_sql):
    record(3)
    raw_sql("UPDATE audit_auditentry SET previous_hash = repeat('a', 64) WHERE sequence = 2")

    with pytest.raises(CommandError) as raised:
        verify()

    assert "entry #2 was changed" in str(raised.value)
    assert "entry #2 does not follow #1" in str(raised.value)


def test_audit_verify_catches_entries_removed_from_the_end_against_a_kept_hash(record, raw_sql):
    entries = record(3)
    kept = f"3:{entries[-1].hash}"
    assert "OK: 3 entries" in verify("--expect", kept)
    raw_sql("DELETE FROM audit_auditentry WHERE sequence = 3")

    assert "OK: 2 entries" in verify()  # the chain alone cannot see a removed tail
    with pytest.raises(CommandError, match="entry #3 is missing"):
        verify("--expect", kept)


def test_chain_verify_checks_any_ordered_entries(record):
    entries = record(3)

    assert chain_verify(entries).ok
    report = chain_verify([entries[0], entries[2]])
    assert report.problems == ["entry #2 is missing"]
    assert report.count == 2
