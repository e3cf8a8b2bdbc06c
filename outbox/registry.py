"""The effects the outbox can perform, by kind: each app registers its own in AppConfig.ready(),
so the outbox knows no other app.

A performer takes the item's payload and does the effect, idempotently: it is called again after
a crash between doing the effect and recording it. It raises to say "failed, try again later",
or returns `Later` to say "done what could be done, try the rest later" (its database writes
are kept).

Two kinds of effect:
- in the database (routing, a cache bump): performed inside the transaction that holds the
  item's row lock and marks it done, so its writes and the mark commit together;
- outside it (`external`: an email): performed with no transaction open, under a lease of
  OUTBOX_LEASE_SECONDS that keeps other relays away; then `record` writes what it did, with the
  item marked done, in a transaction that is tried again while the database is unreachable, so a
  database restart after the email left cannot send it twice. An effect that commits its own
  transactions as it goes (routing a call's waiting applications) is external too, and may
  return `Later`.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Later:
    """Returned by a performer whose effect is not complete yet: tried again after a backoff."""

    reason: str


@dataclass(frozen=True)
class Effect:
    perform: Callable[[dict], object]
    external: bool = False
    # For an external effect: records what `perform` returned, with the item marked done.
    record: Callable[[dict, object], None] | None = None
    # Told of each failed attempt (or `Later`), and of the last one when the outbox gives up;
    # in the transaction that records it, after a failed attempt's writes were undone.
    attempt_failed: Callable[[dict, str], None] | None = None
    gave_up: Callable[[dict, str], None] | None = None


_EFFECTS: dict[str, Effect] = {}


def effect_register(kind: str, effect: Effect) -> None:
    """Register the performer of one kind of effect; registering a kind twice is a bug."""
    if kind in _EFFECTS and _EFFECTS[kind] != effect:
        raise ValueError(f"The outbox effect {kind!r} is registered twice.")
    _EFFECTS[kind] = effect


def effect_for(kind: str) -> Effect:
    try:
        return _EFFECTS[kind]
    except KeyError:
        raise LookupError(f"No outbox effect is registered for {kind!r}.") from None
