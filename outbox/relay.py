"""Performing the outbox's pending items: one at a time, each under its row lock.

Two relays (a kicked task and the sweep, or two workers) never perform one item together:
each takes the row with FOR UPDATE SKIP LOCKED, and either performs the effect under that lock,
its writes committing with the item's new status, or (an external effect) leases the item first.
A relay that dies mid-way leaves the item pending: its transaction rolls back with its
connection, or its lease runs out, and the next sweep performs it again.
"""

import datetime
import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from outbox.enums import OutboxStatus
from outbox.models import OutboxItem
from outbox.registry import Effect, Later, effect_for

logger = logging.getLogger(__name__)


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait after the given number of failed attempts: doubling, up to a ceiling."""
    base = settings.OUTBOX_BACKOFF_BASE
    seconds = min(base * 2 ** max(attempts - 1, 0), settings.OUTBOX_BACKOFF_MAX)
    return datetime.timedelta(seconds=seconds)


def _due(at: datetime.datetime | None = None) -> QuerySet[OutboxItem]:
    """Pending items due by `at` (now), neither locked nor leased by another relay."""
    now = timezone.now()
    return OutboxItem.objects.select_for_update(skip_locked=True).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lte=now),
        status=OutboxStatus.PENDING,
        available_at__lte=at or now,
    )


def outbox_deliver(*, key: str) -> bool:
    """Perform the pending item with this key if it is due and no other relay holds it."""
    return _deliver(_due().filter(key=key))


def outbox_sweep(*, limit: int = 500, seconds: float = 50.0) -> int:
    """Perform due items, oldest first, until none is left, `limit` are done or time is up.

    Only items due when the sweep starts: one that fails again waits for the next sweep.
    """
    performed = 0
    started = timezone.now()
    stop_at = time.monotonic() + seconds
    while performed < limit and time.monotonic() < stop_at:
        if not _deliver(_due(started).order_by("available_at", "pk")):
            break
        performed += 1
    return performed


def _deliver(due: QuerySet[OutboxItem]) -> bool:
    with transaction.atomic():
        item = due.first()
        if item is None:
            return False
        item.attempts += 1
        try:
            effect = effect_for(item.kind)
        except LookupError as error:
            _failed(item, str(error), now=timezone.now())
            return True
        if not effect.external:
            _perform(item, effect)
            return True
        # Leased, and the lease committed, before anything leaves the database.
        item.lease_until = timezone.now() + datetime.timedelta(
            seconds=settings.OUTBOX_LEASE_SECONDS
        )
        item.save(update_fields=["attempts", "lease_until"])
    _perform_external(item, effect)
    return True


def _perform(item: OutboxItem, effect: Effect) -> None:
    now = timezone.now()
    try:
        with transaction.atomic():
            outcome = effect.perform(item.payload)
    except Exception as error:  # any failure of the effect: recorded, tried again later
        logger.warning("outbox: %s failed (attempt %d): %r", item.key, item.attempts, error)
        _failed(item, f"{type(error).__name__}: {error}", now=now)
        return
    if isinstance(outcome, Later):
        _failed(item, outcome.reason, now=now)
        return
    _done(item, now=now)


def _perform_external(item: OutboxItem, effect: Effect) -> None:
    try:
        result = effect.perform(item.payload)
    except Exception as error:  # any failure of the effect: recorded, tried again later
        logger.warning("outbox: %s failed (attempt %d): %r", item.key, item.attempts, error)
        message = f"{type(error).__name__}: {error}"
        _until_recorded(item, lambda locked: _failed(locked, message, now=timezone.now()))
        return

    def record(locked: OutboxItem) -> None:
        if effect.record is not None:
            with transaction.atomic():
                effect.record(locked.payload, result)
        _done(locked, now=timezone.now())

    _until_recorded(item, record)


def _until_recorded(item: OutboxItem, write) -> None:
    """Write what became of an external effect, with the item's lease ended. While the database
    cannot be reached (a restart), keep trying for OUTBOX_RECORD_RETRY_SECONDS: the effect has
    happened, and only this process knows it."""
    stop_at = time.monotonic() + settings.OUTBOX_RECORD_RETRY_SECONDS
    wait = 0.2
    while True:
        try:
            with transaction.atomic():
                locked = OutboxItem.objects.select_for_update().get(pk=item.pk)
                locked.lease_until = None
                locked.attempts = item.attempts
                write(locked)
            return
        except (OperationalError, InterfaceError):
            if time.monotonic() >= stop_at or connection.in_atomic_block:
                raise
            logger.warning("outbox: the database is unreachable; recording %s again", item.key)
            connection.close()
            time.sleep(wait)
            wait = min(wait * 2, 5.0)


def _done(item: OutboxItem, *, now: datetime.datetime) -> None:
    item.status = OutboxStatus.DONE
    item.done_at = now
    item.last_error = ""
    item.save(update_fields=["attempts", "status", "done_at", "last_error", "lease_until"])


def _failed(item: OutboxItem, error: str, *, now: datetime.datetime) -> None:
    item.last_error = error[:2000]
    given_up = now >= item.give_up_at
    if given_up:
        item.status = OutboxStatus.FAILED
    else:
        item.available_at = now + backoff(item.attempts)
    item.save(update_fields=["attempts", "status", "available_at", "last_error", "lease_until"])
    try:
        effect = effect_for(item.kind)
        hook = effect.gave_up if given_up else effect.attempt_failed
        if hook is not None:
            with transaction.atomic():
                hook(item.payload, item.last_error)
    except Exception:  # a hook only records; the item's own record must still be saved
        logger.exception("outbox: the failure hook of %s failed", item.key)


def outbox_purge(*, older_than: datetime.timedelta) -> int:
    """Delete items done longer ago than `older_than`; failed and pending ones stay."""
    cutoff = timezone.now() - older_than
    deleted, _ = OutboxItem.objects.filter(status=OutboxStatus.DONE, done_at__lt=cutoff).delete()
    return deleted
