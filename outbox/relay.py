"""Performing the outbox's pending items: one at a time, each under its row lock.

Two relays (a kicked task and the sweep, or two workers) never perform one item together: each
takes a due row with FOR UPDATE SKIP LOCKED and leases it (OUTBOX_LEASE_SECONDS) in a short
transaction of its own; leased items are not due. The effect then runs with no lock on the item,
and its outcome is written with the item's row locked again: an effect in the database commits
its writes with the item's new state. A relay that dies mid-way leaves the item pending, and the
next sweep after its lease performs it again.
"""

import datetime
import logging
import time

import structlog
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
    """Lease one due item and commit the lease, then perform it. No lock is held while the
    effect runs, so an effect that locks rows (an application, a call, a letter) never waits
    behind, or deadlocks with, a change that locks them first and then asks for the effect."""
    with transaction.atomic():
        item = due.first()
        if item is None:
            return False
        item.attempts += 1
        item.lease_until = timezone.now() + datetime.timedelta(
            seconds=settings.OUTBOX_LEASE_SECONDS
        )
        item.save(update_fields=["attempts", "lease_until"])
    # Every line logged while it is performed names the request that asked for it.
    with structlog.contextvars.bound_contextvars(
        request_id=item.request_id or None, outbox_item=item.pk, outbox_kind=item.kind
    ):
        _perform_leased(item)
    return True


def _perform_leased(item: OutboxItem) -> None:
    requests = item.requests
    try:
        effect = effect_for(item.kind)
    except LookupError as error:
        message = str(error)
        _until_recorded(item, lambda locked: _failed(locked, message, now=timezone.now()))
        return
    if effect.external:
        _perform_external(item, effect, requests)
    else:
        _perform(item, effect, requests)


def _perform(item: OutboxItem, effect: Effect, requests: int) -> None:
    """An effect in the database: its writes commit with the item's new state, or not at all."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                outcome = effect.perform(item.payload)
        except Exception as error:  # any failure of the effect: recorded, tried again later
            logger.warning("outbox: %s failed (attempt %d): %r", item.key, item.attempts, error)
            _failed(_locked(item), f"{type(error).__name__}: {error}", now=timezone.now())
            return
        locked = _locked(item)
        if isinstance(outcome, Later):
            _failed(locked, outcome.reason, now=timezone.now())
        else:
            _done(locked, now=timezone.now(), requests=requests)


def _perform_external(item: OutboxItem, effect: Effect, requests: int) -> None:
    """An effect outside the database, performed with no transaction open, then recorded."""
    try:
        result = effect.perform(item.payload)
    except Exception as error:  # any failure of the effect: recorded, tried again later
        logger.warning("outbox: %s failed (attempt %d): %r", item.key, item.attempts, error)
        message = f"{type(error).__name__}: {error}"
        _until_recorded(item, lambda locked: _failed(locked, message, now=timezone.now()))
        return

    if isinstance(result, Later):  # what it did is kept (committed by the effect itself)
        reason = result.reason
        _until_recorded(item, lambda locked: _failed(locked, reason, now=timezone.now()))
        return

    def record(locked: OutboxItem) -> None:
        if effect.record is not None:
            with transaction.atomic():
                effect.record(locked.payload, result)
        _done(locked, now=timezone.now(), requests=requests)

    _until_recorded(item, record)


def _locked(item: OutboxItem) -> OutboxItem:
    locked = OutboxItem.objects.select_for_update().get(pk=item.pk)
    locked.attempts = item.attempts
    return locked


def _until_recorded(item: OutboxItem, write) -> None:
    """Write what became of an external effect, with the item's lease ended. While the database
    cannot be reached (a restart), keep trying for OUTBOX_RECORD_RETRY_SECONDS: the effect has
    happened, and only this process knows it."""
    stop_at = time.monotonic() + settings.OUTBOX_RECORD_RETRY_SECONDS
    wait = 0.2
    while True:
        try:
            with transaction.atomic():
                write(_locked(item))
            return
        except (OperationalError, InterfaceError):
            if time.monotonic() >= stop_at or connection.in_atomic_block:
                raise
            logger.warning("outbox: the database is unreachable; recording %s again", item.key)
            connection.close()
            time.sleep(wait)
            wait = min(wait * 2, 1.0)


def _done(item: OutboxItem, *, now: datetime.datetime, requests: int) -> None:
    item.lease_until = None
    item.last_error = ""
    if item.requests != requests:
        # Asked for again while it was being performed: the new request may need more (a
        # reviewer declined meanwhile), so the item stays pending, due now.
        item.available_at = now
        item.save(update_fields=["attempts", "available_at", "last_error", "lease_until"])
        return
    item.status = OutboxStatus.DONE
    item.done_at = now
    item.save(update_fields=["attempts", "status", "done_at", "last_error", "lease_until"])
    logger.info("outbox: %s item %d done (attempt %d)", item.kind, item.pk, item.attempts)


def _failed(item: OutboxItem, error: str, *, now: datetime.datetime) -> None:
    item.lease_until = None
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
