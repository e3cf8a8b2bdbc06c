"""How long a signed-in session lasts: an idle timeout and an absolute lifetime, shorter for staff.

A session records when its person signed in and when they were last active. A request after
more than SESSION_IDLE_TIMEOUT seconds of inactivity, or more than SESSION_MAX_LIFETIME seconds
after signing in, signs the person out and sends them to the sign-in page, saying why (staff and
administrators: SESSION_IDLE_TIMEOUT_STAFF, SESSION_MAX_LIFETIME_STAFF). The last activity is
written at most once per SESSION_ACTIVITY_RESOLUTION seconds, so a busy person costs one
session write a minute, not one per request; the idle timeout is exact to that resolution.
The session cookie itself expires after the longer of the lifetimes (SESSION_COOKIE_AGE).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import urlencode
from django.utils.translation import gettext as _

SIGNED_IN_AT = "_signed_in_at"
ACTIVE_AT = "_active_at"


def limits_for(user) -> tuple[int, int]:
    """(idle timeout, absolute lifetime) in seconds for the person's session."""
    if user.is_staff or user.is_superuser:
        return settings.SESSION_IDLE_TIMEOUT_STAFF, settings.SESSION_MAX_LIFETIME_STAFF
    return settings.SESSION_IDLE_TIMEOUT, settings.SESSION_MAX_LIFETIME


def stamp_sign_in(sender, request, user, **kwargs) -> None:
    """On each sign-in (the `user_logged_in` signal): the session's clocks start now."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[ACTIVE_AT] = now


def session_ended_why(session, user, now: float) -> str | None:
    """Why the session is over (a sentence for the person), or None if it goes on."""
    signed_in_at, active_at = session.get(SIGNED_IN_AT), session.get(ACTIVE_AT)
    if signed_in_at is None or active_at is None:
        return None
    idle, lifetime = limits_for(user)
    if now - signed_in_at > lifetime:
        return _(
            "You were signed out: a session lasts at most %(hours)s hours. Please sign in again."
        ) % {"hours": f"{lifetime / 3600:g}"}
    if now - active_at > idle:
        return _(
            "You were signed out after %(minutes)s minutes without activity. Please sign in again."
        ) % {"minutes": f"{idle / 60:g}"}
    return None


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            session, now = request.session, time.time()
            why = session_ended_why(session, user, now)
            if why:
                logout(request)
                messages.info(request, why, fail_silently=True)
                target = resolve_url(settings.LOGIN_URL)
                if request.method == "GET":
                    target = f"{target}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"
                return HttpResponseRedirect(target)
            if session.get(SIGNED_IN_AT) is None:
                # A session from before these limits: its clocks start now.
                session[SIGNED_IN_AT] = now
                session[ACTIVE_AT] = now
            elif now - session[ACTIVE_AT] >= settings.SESSION_ACTIVITY_RESOLUTION:
                session[ACTIVE_AT] = now
        return self.get_response(request)
