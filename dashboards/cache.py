"""The dashboards' cache: figures stored under a generation that any change of the data bumps.

Every figure set is stored under the current generation number; a change to an application, its
history, an assignment, a review or a membership bumps the number, so the next request computes
fresh figures and the stale ones simply expire. A time limit backs this up for writes that send
no signal (queryset.update, bulk_create).
"""

from collections.abc import Callable
from typing import Any

from django.core.cache import cache

GENERATION_KEY = "dashboards:generation"
TIMEOUT = 15 * 60  # seconds


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return int(value)


def generation_bump() -> None:
    """Make every cached figure stale; atomic on Redis, so concurrent bumps are all counted.

    Raises when Redis cannot be reached (the outbox then tries again), although the cache
    itself treats an unreachable Redis as a miss.
    """
    if hasattr(cache, "client"):  # django-redis: straight to Redis, errors not swallowed
        cache.client.incr(GENERATION_KEY, ignore_key_check=True)
        return
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet: the next read starts one, nothing is stale
        cache.add(GENERATION_KEY, 1, timeout=None)


def cached_figures(key: str, compute: Callable[[], Any]) -> Any:
    """The figures under `key` for the current generation, computed and stored if absent."""
    full_key = f"dashboards:{generation()}:{key}"
    figures = cache.get(full_key)
    if figures is None:
        figures = compute()
        cache.set(full_key, figures, timeout=TIMEOUT)
    return figures
