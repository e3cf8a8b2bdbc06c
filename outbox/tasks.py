"""The outbox's Celery tasks: a kick after each commit, and the sweep that beat runs."""

import datetime
import logging
import time

from celery import shared_task
from django.conf import settings

from outbox.relay import outbox_deliver, outbox_purge, outbox_sweep

logger = logging.getLogger(__name__)

# After the broker refused a kick, later kicks are not tried for a while: the sweep delivers
# the items, and requests are not slowed by a broker that is down.
_kicks_paused_until = 0.0


@shared_task(acks_late=True)
def outbox_deliver_task(*, key: str) -> bool:
    """Perform the pending item with this key; a duplicate or late copy finds nothing to do."""
    return outbox_deliver(key=key)


@shared_task(acks_late=True)
def outbox_sweep_task() -> int:
    """Perform every due item: those whose kick was lost, and those waiting for a retry."""
    return outbox_sweep(seconds=max(settings.OUTBOX_SWEEP_SECONDS * 5, 30))


@shared_task
def outbox_purge_task() -> int:
    """Forget items done more than OUTBOX_KEEP_DONE_DAYS ago."""
    return outbox_purge(older_than=datetime.timedelta(days=settings.OUTBOX_KEEP_DONE_DAYS))


def outbox_kick(key: str) -> None:
    """Ask a worker to perform an item now. Never raises: a broker that is down only delays the
    item until the sweep, it must not fail the change that wrote it."""
    global _kicks_paused_until
    if time.monotonic() < _kicks_paused_until:
        return
    try:
        outbox_deliver_task.delay(key=key)
    except Exception:
        logger.warning("outbox: could not kick %s; the sweep will deliver it", key, exc_info=True)
        _kicks_paused_until = time.monotonic() + settings.OUTBOX_KICK_PAUSE
