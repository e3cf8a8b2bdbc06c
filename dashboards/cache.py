"""The dashboards' cache of drawn figures: the charts and tables of one snapshot, in one
language, kept while that snapshot is current (its time is in the key) and for TIMEOUT at most.

Only a speed-up: the figures themselves are in the database (FigureSnapshot), so a Redis that
is down or was flushed costs a drawing, never a computation.
"""

from collections.abc import Callable

from django.core.cache import cache

TIMEOUT = 15 * 60  # seconds


def cached_drawing(key: str, draw: Callable[[], str]) -> str:
    """The drawing under `key`, drawn and stored if absent."""
    full_key = f"dashboards:{key}"
    html = cache.get(full_key)
    if html is None:
        html = draw()
        cache.set(full_key, html, timeout=TIMEOUT)
    return html
