"""Two transactions recording at once: the chain never forks and the numbers never skip."""

import threading
import time

import pytest
from django.db import connection, transaction

from audit.models import AuditEntry
from audit.selectors import audit_chain_verify
from audit.services import audit_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def in_thread(target, errors):
    """Run target on its own thread, hence its own database connection, closed at the end."""

    def run():
        try:
            target()
        except Exception as error:  # reported by the test, not lost on the thread
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_audit_record_waits_for_the_other_transaction_and_chains_after_it():
    subject = UserFactory()
    first_recorded, release_first = threading.Event(), threading.Event()
    errors = []

    def first():
        with transaction.atomic():
            audit_record(action="test.first", obj=subject, actor=None)
            first_recorded.set()
            release_first.wait(timeout=10)

    def second():
        first_recorded.wait(timeout=10)
        audit_record(action="test.second", obj=subject, actor=None)

    threads = [in_thread(first, errors)]
    threads.append(in_thread(second, errors))
    first_recorded.wait(timeout=10)
    time.sleep(0.3)
    # The second recorder is held by the chain lock while the first transaction is open.
    assert threads[1].is_alive()
    release_first.set()
    for thread in threads:
        thread.join(timeout=10)

    assert errors == []
    first_entry, second_entry = AuditEntry.objects.order_by("sequence")
    assert (first_entry.sequence, first_entry.action) == (1, "test.first")
    assert (second_entry.sequence, second_entry.action) == (2, "test.second")
    assert second_entry.previous_hash == first_entry.hash


def test_concurrent_recording_yields_a_gap_free_unforked_chain():
    subject = UserFactory()
    start = threading.Barrier(4)
    errors = []

    def recorder(number):
        def run():
            start.wait(timeout=10)
            for step in range(10):
                with transaction.atomic():
                    audit_record(
                        action="test.concurrent",
                        obj=subject,
                        actor=None,
                        data={"recorder": number, "step": step},
                    )
                    time.sleep(0.002)  # keep the transaction open while the others queue

        return run

    threads = [in_thread(recorder(number), errors) for number in range(4)]
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    sequences = list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, 41))
    report = audit_chain_verify(chunk_size=7)
    assert report.ok, report.problems
    assert report.count == 40
