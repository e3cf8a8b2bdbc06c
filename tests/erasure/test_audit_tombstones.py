"""A tombstoned audit entry keeps its hash and verifies by the digest of its original payload;
a payload changed any other way, or a tombstone nobody recorded, is reported."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import SCHEME_FULL, AuditEntry
from audit.services import audit_entries_tombstone, audit_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def entries(count=3):
    user = UserFactory(email="tomb@example.org")
    made = [
        audit_record(
            action="x",
            obj=user,
            actor=user,
            reason=f"by tomb@example.org {n}",
            data={"email": "tomb@example.org", "n": n},
        )
        for n in range(count)
    ]
    return user, made


def tombstone(user, selected):
    def replace(payload):
        return {
            "actor_label": "[erased]",
            "reason": "[erased]",
            "data": {"n": payload["data"]["n"]},
        }

    return audit_entries_tombstone(
        entries=selected, replace=replace, obj=user, actor=None, reason="erasure"
    )


def test_tombstoned_entries_keep_their_hash_and_verify():
    user, made = entries()
    hashes = [entry.hash for entry in made]
    assert tombstone(user, AuditEntry.objects.filter(sequence__in=[1, 2])) == [1, 2]
    stored = list(AuditEntry.objects.order_by("sequence")[:3])
    assert [entry.hash for entry in stored] == hashes
    assert stored[0].reason == "[erased]" and stored[0].payload_salt == ""
    call_command("audit_verify")


def test_a_tombstone_changed_afterwards_is_reported():
    user, _ = entries()
    tombstone(user, AuditEntry.objects.filter(sequence=1))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET reason = 'forged' WHERE sequence = 1")
    with pytest.raises(CommandError, match="entry #1 was changed"):
        call_command("audit_verify")


def test_a_payload_erased_without_a_tombstone_record_is_reported():
    entries()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET reason = '', tombstoned_at = now() WHERE sequence = 2"
        )
    with pytest.raises(CommandError, match="entry #2 was changed"):
        call_command("audit_verify")


def test_a_scheme_1_entry_tombstoned_is_checked_by_its_links():
    user, _ = entries()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET scheme = %s WHERE sequence = 1", [SCHEME_FULL])
    # Re-hash #1 as scheme 1 would have, and relink #2 to it: an old entry of the first scheme.
    first = AuditEntry.objects.get(sequence=1)
    old_hash = first.compute_hash()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET hash = %s WHERE sequence = 1", [old_hash])
        second = AuditEntry.objects.get(sequence=2)
        second.previous_hash = old_hash
        cursor.execute(
            "UPDATE audit_auditentry SET previous_hash = %s, hash = %s WHERE sequence = 2",
            [old_hash, second.compute_hash()],
        )
        third = AuditEntry.objects.get(sequence=3)
        third.previous_hash = second.compute_hash()
        cursor.execute(
            "UPDATE audit_auditentry SET previous_hash = %s, hash = %s WHERE sequence = 3",
            [third.previous_hash, third.compute_hash()],
        )
    call_command("audit_verify")
    tombstone(user, AuditEntry.objects.filter(sequence=1))
    from audit.selectors import audit_chain_verify

    report = audit_chain_verify()
    assert report.ok and report.legacy_tombstones == 1
