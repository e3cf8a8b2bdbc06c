"""Sessions read from the cache, kept in the database (SESSION_ENGINE "accounts.sessions").

Django's cached_db store, with one difference: the cached copy of a session lives at most
SESSION_CACHE_SECONDS. The database row is the truth; Redis only spares most requests the
session query. While Redis is unreachable (django-redis treats it as a miss) every session is
read from and written to the database, so nobody is signed out. What the cap is for: a sign-out
(or any change) made while Redis was unreachable could not remove or update the cached copy,
and Redis keeps its data across a restart; that stale copy is believed for at most this long.
"""

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.core.cache import caches


class _CappedCache:
    """The session cache, with every timeout shortened to at most `seconds`."""

    def __init__(self, cache, seconds: int):
        self._cache, self._seconds = cache, seconds

    def set(self, key, value, timeout=None):
        timeout = self._seconds if timeout is None else min(timeout, self._seconds)
        return self._cache.set(key, value, timeout)

    def __contains__(self, key):
        return key in self._cache

    def __getattr__(self, name):
        return getattr(self._cache, name)


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _CappedCache(
            caches[settings.SESSION_CACHE_ALIAS], settings.SESSION_CACHE_SECONDS
        )
