"""Performing the outbox's pending items: one at a time, each under its row lock.

Two relays (a kicked task and the sweep, or two workers) never perform one item together:
each takes the row with FOR UPDATE SKIP LOCKED, and the performer's own writes commit with the
item's new status. A relay that dies mid-way leaves the item pending (its transaction is rolled
back with the connection), and the next sweep performs it again.
"""

import datetime
import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from outbox.enums import OutboxStatus
from outbox.models import OutboxItem
from outbox.registry import Later, effect_for

logger = logging.getLogger(__name__)


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait after the given number of failed attempts: doubling, up to a ceiling."""
    base = settings.OUTBOX_BACKOFF_BASE
    seconds = min(base * 2 ** max(attempts - 1, 0), settings.OUTBOX_BACKOFF_MAX)
    return datetime.timedelta(seconds=seconds)


def _due(at: datetime.datetime | None = None) -> QuerySet[OutboxItem]:
    return OutboxItem.objects.select_for_update(skip_locked=True).filter(
        status=OutboxStatus.PENDING, available_at__lte=at or timezone.now()
    )


def outbox_deliver(*, key: str) -> bool:
    """Perform the pending item with this key if it is due and no other relay holds it."""
    with transaction.atomic():
        item = _due().filter(key=key).first()
        if item is None:
            return False
        _perform(item)
    return True


def outbox_sweep(*, limit: int = 500, seconds: float = 50.0) -> int:
    """Perform due items, oldest first, until none is left, `limit` are done or time is up.

    Only items due when the sweep starts: one that fails again waits for the next sweep.
    """
    performed = 0
    started = timezone.now()
    stop_at = time.monotonic() + seconds
    while performed < limit and time.monotonic() < stop_at:
        with transaction.atomic():
            item = _due(started).order_by("available_at", "pk").first()
            if item is None:
                break
            _perform(item)
        performed += 1
    return performed


def _perform(item: OutboxItem) -> None:
    now = timezone.now()
    item.attempts += 1
    try:
        effect = effect_for(item.kind)
        with transaction.atomic():
            outcome = effect.perform(item.payload)
    except Exception as error:  # any failure of the effect: recorded, tried again later
        logger.warning("outbox: %s failed (attempt %d): %r", item.key, item.attempts, error)
        _failed(item, f"{type(error).__name__}: {error}", now=now)
        return
    if isinstance(outcome, Later):
        _failed(item, outcome.reason, now=now)
        return
    item.status = OutboxStatus.DONE
    item.done_at = now
    item.last_error = ""
    item.save(update_fields=["attempts", "status", "done_at", "last_error"])


def _failed(item: OutboxItem, error: str, *, now: datetime.datetime) -> None:
    item.last_error = error[:2000]
    given_up = now >= item.give_up_at
    if given_up:
        item.status = OutboxStatus.FAILED
    else:
        item.available_at = now + backoff(item.attempts)
    item.save(update_fields=["attempts", "status", "available_at", "last_error"])
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
