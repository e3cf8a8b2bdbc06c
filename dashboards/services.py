"""Writes of the dashboards' figure snapshots: marked stale when their inputs change, recomputed
in the background behind one lock, at most once every DASHBOARD_REFRESH_SECONDS.

A page never computes figures that a snapshot already holds, however stale: it shows them with
the time they are as of. Only a scope with no snapshot at all (a period nobody asked for before,
or the first request after the database was set up) is computed during a request, and
concurrent requests for it wait for the first one and read what it stored.
"""

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from calls.models import Call
from dashboards.cache import drawings_forget
from dashboards.models import FigureRefresh, FigureSnapshot
from dashboards.scope import Scope
from dashboards.selectors import figures_compute
from networks.models import Network

logger = logging.getLogger(__name__)

# PostgreSQL advisory lock keys (class, object): one for the refresh, one class for the scopes.
REFRESH_LOCK = (7312, 0)
SCOPE_LOCK_CLASS = 7313
# A period's snapshot is kept (and refreshed) this long after it was first asked for.
PERIOD_KEEP = datetime.timedelta(days=1)


def figures_mark_changed(*, now: datetime.datetime | None = None) -> None:
    """Record that the figures' inputs changed: every snapshot computed before is stale. One
    short update of one row, in the caller's transaction."""
    now = now or timezone.now()
    updated = FigureRefresh.objects.filter(pk=1).update(
        changed_at=Greatest(Coalesce(F("changed_at"), now), now)
    )
    if not updated:
        FigureRefresh.objects.get_or_create(pk=1, defaults={"changed_at": now})
    drawings_forget()  # the pages now say their figures are stale


def snapshot_compute(*, scope: Scope) -> FigureSnapshot:
    """The snapshot of `scope`, computed now if there is none. Requests for the same scope wait
    on a lock for the first one and then read what it stored, so it is computed once."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                    [SCOPE_LOCK_CLASS, scope.cache_key],
                )
        snapshot = FigureSnapshot.objects.filter(scope_key=scope.cache_key).first()
        if snapshot is None:
            snapshot = _store(scope, timezone.now())
    return snapshot


def figures_refresh(*, force: bool = False, missing: bool = False) -> int:
    """Recompute every stale snapshot and, with `missing` (beat's runs), store those of the
    standard dashboards (the Joint Action, each network, each call) that are missing; returns
    how many were computed. (A refresh asked for by a change only recomputes what pages showed.)

    One refresh at a time across every worker: a second one returns 0 at once rather than
    compute the same figures again. Unless `force`d, none starts within
    DASHBOARD_REFRESH_SECONDS of the previous one's start (the beat schedule comes back for the
    changes made meanwhile). Each snapshot is written in its own short transaction, so pages
    keep reading the previous figures until the new ones are stored.
    """
    with _refresh_lock() as held:
        if not held:
            return 0
        state, _created = FigureRefresh.objects.get_or_create(pk=1)
        now = timezone.now()
        interval = datetime.timedelta(seconds=settings.DASHBOARD_REFRESH_SECONDS)
        if not force and state.started_at and now - state.started_at < interval:
            return 0
        _periods_forget(now)
        scopes = _scopes_to_refresh(state.changed_at, missing=missing)
        if not scopes:
            return 0
        FigureRefresh.objects.filter(pk=1).update(started_at=now)
        for scope in scopes:
            _store(scope, timezone.now())
        FigureRefresh.objects.filter(pk=1).update(finished_at=timezone.now())
        logger.info("dashboards: %d figure snapshots refreshed", len(scopes))
        return len(scopes)


def _periods_forget(now: datetime.datetime) -> None:
    """Snapshots of periods asked for long ago are dropped rather than refreshed for ever."""
    forgotten, _by_model = (
        FigureSnapshot.objects.filter(created_at__lt=now - PERIOD_KEEP)
        .exclude(start__isnull=True, end__isnull=True)
        .delete()
    )
    if forgotten:
        drawings_forget()


def _scopes_to_refresh(changed_at: datetime.datetime | None, *, missing: bool) -> list[Scope]:
    standard = []
    if missing:
        standard = [Scope()]
        standard += [Scope(network=network) for network in Network.objects.order_by("pk")]
        standard += [
            Scope(network=call.network, call=call)
            for call in Call.objects.select_related("network").order_by("pk")
        ]
    stored = {
        snapshot.scope_key: snapshot
        for snapshot in FigureSnapshot.objects.select_related("network", "call__network").defer(
            "figures"
        )
    }
    scopes = [scope for scope in standard if scope.cache_key not in stored]
    for snapshot in stored.values():
        if changed_at is not None and snapshot.computed_at < changed_at:
            network = snapshot.call.network if snapshot.call else snapshot.network
            scopes.append(
                Scope(network=network, call=snapshot.call, start=snapshot.start, end=snapshot.end)
            )
    return scopes


def _store(scope: Scope, started: datetime.datetime) -> FigureSnapshot:
    """Compute the figures of `scope` and store them as of `started`, in place of older ones."""
    figures = figures_compute(scope=scope)
    figures["computed_at"] = started.isoformat()
    fields = {"figures": figures, "computed_at": started}
    with transaction.atomic():
        drawings_forget()  # now, and once these figures are committed: pages show them next
        if FigureSnapshot.objects.filter(scope_key=scope.cache_key).update(**fields):
            return FigureSnapshot.objects.get(scope_key=scope.cache_key)
        try:
            with transaction.atomic():
                return FigureSnapshot.objects.create(
                    scope_key=scope.cache_key,
                    network=scope.network,
                    call=scope.call,
                    start=scope.start,
                    end=scope.end,
                    **fields,
                )
        except IntegrityError:  # stored meanwhile by a request for the same scope
            return FigureSnapshot.objects.get(scope_key=scope.cache_key)


@contextmanager
def _refresh_lock() -> Iterator[bool]:
    """Whether this process holds the refresh lock: a PostgreSQL advisory lock of the session,
    so one refresh runs at a time across workers and machines, a worker that dies frees it with
    its connection, and it needs no Redis. (Without PostgreSQL, a development setup, no lock.)"""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", REFRESH_LOCK)
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", REFRESH_LOCK)
