"""Writing side effects into the outbox: the only way the portal asks for one."""

import datetime
import functools
import json

import structlog
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from outbox.enums import OutboxStatus
from outbox.models import OutboxItem
from outbox.registry import effect_for
from outbox.tasks import outbox_kick


def outbox_enqueue(*, kind: str, key: str, payload: dict | None = None) -> None:
    """Ask for an effect, in the caller's transaction: it is written with the change and
    performed after the commit, or never if the change rolls back.

    While an item with the same key is pending, no second one is written: the pending one is
    made due now instead (it may have been waiting for a retry), and performed once more if it
    is being performed right now. Asking again locks that item's row until the caller's
    transaction ends, so keys are per object, never shared by unrelated changes. The effect is
    tried again with a growing backoff until OUTBOX_RETRY_FOR has passed.
    """
    effect_for(kind)  # refuse an unknown kind here, not later in a worker
    now = timezone.now()
    give_up_at = now + datetime.timedelta(seconds=settings.OUTBOX_RETRY_FOR)
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), _upsert_params(kind, key, payload or {}, now, give_up_at))
    transaction.on_commit(functools.partial(outbox_kick, key), robust=True)


@functools.cache
def _upsert_sql() -> str:
    meta = OutboxItem._meta
    quote = connection.ops.quote_name
    columns = ["kind", "key", "payload", "status", "attempts", "requests", "created_at"]
    columns += ["available_at", "give_up_at", "last_error", "request_id"]
    table, names = quote(meta.db_table), ", ".join(quote(meta.get_field(c).column) for c in columns)
    key, status, available_at, give_up_at, requests = (
        quote(c) for c in ("key", "status", "available_at", "give_up_at", "requests")
    )

    def pick(column, which):  # CASE rather than LEAST/GREATEST: the same on both databases
        keep = "<" if which == "earlier" else ">"
        return (
            f"CASE WHEN EXCLUDED.{column} {keep} {table}.{column} "
            f"THEN EXCLUDED.{column} ELSE {table}.{column} END"
        )

    # The conflict target is the partial unique index outbox_one_pending_per_key.
    return (
        f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({key}) WHERE {status} = '{OutboxStatus.PENDING}' "
        f"DO UPDATE SET {requests} = {table}.{requests} + 1, "
        f"{available_at} = {pick(available_at, 'earlier')}, "
        f"{give_up_at} = {pick(give_up_at, 'later')}"
    )


def _upsert_params(kind, key, payload, now, give_up_at) -> list:
    ops = connection.ops
    return [
        kind,
        key,
        json.dumps(payload, cls=DjangoJSONEncoder),
        OutboxStatus.PENDING,
        0,
        1,
        ops.adapt_datetimefield_value(now),
        ops.adapt_datetimefield_value(now),
        ops.adapt_datetimefield_value(give_up_at),
        "",
        # The request's id from the log context (bound by observability's middleware, or by a
        # task that carries one); an item asked for again keeps the first request's id.
        str(structlog.contextvars.get_contextvars().get("request_id") or "")[:64],
    ]


@transaction.atomic
def outbox_retry(*, items) -> int:
    """Try failed (or waiting) items again now, with a fresh retry period; return how many.

    A failed item whose key has been asked for again since is left: the newer one will do.
    """
    now = timezone.now()
    retried = 0
    for item in OutboxItem.objects.select_for_update(skip_locked=True).filter(
        pk__in=[item.pk for item in items], status__in=[OutboxStatus.FAILED, OutboxStatus.PENDING]
    ):
        if (
            item.status == OutboxStatus.FAILED
            and OutboxItem.objects.filter(key=item.key, status=OutboxStatus.PENDING).exists()
        ):
            continue
        item.status = OutboxStatus.PENDING
        item.attempts = 0
        item.available_at = now
        item.give_up_at = now + datetime.timedelta(seconds=settings.OUTBOX_RETRY_FOR)
        item.save(update_fields=["status", "attempts", "available_at", "give_up_at"])
        transaction.on_commit(functools.partial(outbox_kick, item.key), robust=True)
        retried += 1
    return retried
