"""The public pages' cache: home, the calls, each call and each network, as anonymous visitors
see them, kept in Redis under a generation that any change to what they show bumps.

What may be served from it: a GET for a visitor who is not signed in and has no message waiting,
in the language the request asks for, at the exact address asked. What is stored: the page's
HTML, with the CSRF token of the visitor it was rendered for taken out; each visitor served from
the cache gets a token of their own (and its cookie) put back in. No header, cookie or message is
ever stored.

When it goes stale:
- on the next request after a change to a call, a network, a membership, an institution or
  anything else of the calls and networks apps commits (calls/page_cache_signals.py bumps the
  generation through the outbox, so every language and address is stale at once);
- at the next instant one of the calls shown opens, closes, or enters or leaves a suspension
  (the view says when: `fresh_until`), checked against the clock on each read, not left to
  Redis' whole-second expiry;
- after PUBLIC_PAGE_CACHE_SECONDS whatever happens, for writes that send no signal.
A Redis outage is a miss: the page is rendered as if there were no cache.
"""

import contextlib
import datetime
import functools
import hashlib
import re
import time

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

GENERATION_KEY = "public_pages:generation"
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = "\x00csrf-token\x00"


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        # Started from the clock (milliseconds), so a generation lost to an eviction starts
        # again above every number already used: an old page is never taken for a fresh one.
        cache.add(GENERATION_KEY, int(time.time() * 1000), timeout=None)
        value = cache.get(GENERATION_KEY, 0)
    return int(value)


def generation_bump() -> None:
    """Make every cached public page stale; raises while Redis is unreachable (the outbox
    tries again), although reads treat an unreachable Redis as a miss."""
    if hasattr(cache, "client"):  # django-redis: straight to Redis, errors not swallowed
        # A missing generation becomes 1, below the clock-based numbers any page was stored
        # under: nothing old is ever served again.
        cache.client.incr(GENERATION_KEY, ignore_key_check=True)
        return
    with contextlib.suppress(ValueError):  # no generation yet: nothing is stale
        cache.incr(GENERATION_KEY)


def _servable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    # Counting the messages does not consume them: the page rendered afresh shows them.
    return len(get_messages(request)) == 0


def _key(request: HttpRequest, generation_number: int) -> str:
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
    return f"public_pages:{generation_number}:{request.LANGUAGE_CODE}:{address}"


def cached_for_anonymous(view):
    """Serve the view's page to anonymous visitors from the cache (see the module's docstring).

    The view may set `response.fresh_until` (an aware datetime) to the instant its page stops
    being right, such as the next opening or closing of a call it shows.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _servable(request):
            return view(request, *args, **kwargs)
        key = _key(request, generation())
        now = timezone.now()
        entry = cache.get(key)
        if entry is not None and now.timestamp() < entry["until"]:
            html = entry["html"].replace(_CSRF_PLACEHOLDER, get_token(request))
            return HttpResponse(html, content_type=entry["content_type"])
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if not getattr(response, "is_rendered", True):
                response.render()  # a TemplateResponse (allauth's sign-in page)
            _store(key, response, now)
        return response

    return wrapper


def _store(key: str, response: HttpResponse, now: datetime.datetime) -> None:
    until = now + datetime.timedelta(seconds=settings.PUBLIC_PAGE_CACHE_SECONDS)
    fresh_until = getattr(response, "fresh_until", None)
    if fresh_until is not None:
        until = min(until, fresh_until)
    seconds = (until - now).total_seconds()
    if seconds <= 0:
        return
    html = _CSRF_INPUT.sub(
        lambda match: match.group(1) + _CSRF_PLACEHOLDER + match.group(2),
        response.content.decode(response.charset),
    )
    entry = {"html": html, "content_type": response["Content-Type"], "until": until.timestamp()}
    cache.set(key, entry, timeout=int(seconds) + 1)


def next_change(calls, *, after: datetime.datetime) -> datetime.datetime | None:
    """The first instant after `after` at which one of the calls changes status: it opens,
    closes, or a suspension starts or ends. Reads each call's prefetched suspensions."""
    instants = []
    for call in calls:
        instants += [call.opens_at, call.deadline]
        for pause in call.pauses:
            instants += [pause.starts_at, pause.ends_at]
    return min((instant for instant in instants if instant > after), default=None)
