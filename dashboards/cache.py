"""The dashboards' cache of drawn content.

Two kinds of entries, both only a speed-up: the figures themselves are in the database
(FigureSnapshot), so a Redis that is down or was flushed costs a drawing, never a computation.

- The charts and tables of one snapshot in one language (`cached_drawing`), kept while that
  snapshot is current (its time is in the key) and for TIMEOUT at most.
- A dashboard's whole content (`cached_page`): what every observer of a scope and language sees,
  served with one round trip to Redis and no query. Each is stored with the *generation* it was
  drawn in; every write that changes what a page shows (a change marking the figures stale, a
  snapshot stored or dropped) starts a new generation (`drawings_forget`), so the next request
  draws the page again.
"""

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 15 * 60  # seconds
GENERATION = "dashboards:generation"


def cached_drawing(key: str, draw: Callable[[], str]) -> str:
    """The drawing under `key`, drawn and stored if absent."""
    full_key = f"dashboards:{key}"
    html = cache.get(full_key)
    if html is None:
        html = draw()
        cache.set(full_key, html, timeout=TIMEOUT)
    return html


def cached_page(key: str, draw: Callable[[], str]) -> str:
    """The page content under `key` if it was drawn in the current generation (one MGET);
    else drawn now and stored. The generation is read before `draw` reads the database, so a
    change committed meanwhile starts a newer one and the content stored here is not served."""
    full_key = f"dashboards:{key}"
    found = cache.get_many([GENERATION, full_key])
    generation, stored = found.get(GENERATION), found.get(full_key)
    if generation is not None and stored is not None and stored[0] == generation:
        return stored[1]
    if generation is None:  # a fresh or flushed Redis (or none: then nothing is stored)
        cache.add(GENERATION, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION)
    html = draw()
    if generation is not None:
        cache.set(full_key, (generation, html), timeout=TIMEOUT)
    return html


def drawings_forget() -> None:
    """Every page drawn so far is out of date: a new generation now (this transaction's later
    reads see the change) and again once the caller's transaction commits (a page drawn
    meanwhile by another request, from what the database held before the commit, goes too)."""
    _generation_new()
    transaction.on_commit(_generation_new, robust=True)


def _generation_new() -> None:
    cache.set(GENERATION, uuid.uuid4().hex, timeout=None)
