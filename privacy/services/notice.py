"""The privacy notice: which version is current, who has yet to see it, and its acceptance.

A person is informed at sign-up (the form's checkbox records it) and again once for every
version published after that. Whether a person is up to date is asked on every signed-in
request (privacy/middleware.py), so the answer is kept: the current version in the cache (until
it may change: a publication clears it, a future effective date ends it), the version the person
accepted in their session, where signing in already puts it (notice_check_on_sign_in), so
the first page after signing in asks nothing more than the next.
"""

import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from privacy.models import NoticeAcceptance, PrivacyNotice

_CURRENT_KEY = "privacy:current-notice"
_CURRENT_SECONDS = 300
SESSION_KEY = "privacy_notice_version"


class NoticeAlreadyPublished(Exception):
    """A published version is never changed or published again."""


def notice_current() -> PrivacyNotice | None:
    """The notice in force today: the highest published version whose date has come."""
    return (
        PrivacyNotice.objects.published()
        .filter(effective_on__lte=timezone.localdate())
        .order_by("-version")
        .first()
    )


def notice_current_summary() -> tuple[int, datetime.datetime] | None:
    """(version, published_at) of the current notice, from the cache when it can be."""
    cached = cache.get(_CURRENT_KEY)
    if cached is not None:
        return tuple(cached) if cached else None
    notice = notice_current()
    summary = (notice.version, notice.published_at) if notice else None
    upcoming = (
        PrivacyNotice.objects.published()
        .filter(effective_on__gt=timezone.localdate())
        .order_by("effective_on")
        .values_list("effective_on", flat=True)
        .first()
    )
    seconds = _CURRENT_SECONDS
    if upcoming is not None:
        start = datetime.datetime.combine(
            upcoming, datetime.time(), tzinfo=timezone.get_current_timezone()
        )
        seconds = max(1, min(seconds, int((start - timezone.now()).total_seconds()) + 1))
    cache.set(_CURRENT_KEY, list(summary) if summary else [], seconds)
    return summary


def notice_publish(*, notice: PrivacyNotice) -> PrivacyNotice:
    """Publish a drafted version: from its effective date every signed-in person is shown it
    once, before anything else, until they accept it. Refuses a version already published or
    lower than one that is."""
    notice = PrivacyNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.is_published:
        raise NoticeAlreadyPublished("This version is already published.")
    if PrivacyNotice.objects.published().filter(version__gt=notice.version).exists():
        raise NoticeAlreadyPublished("A later version is already published.")
    notice.published_at = timezone.now()
    notice.save(update_fields=["published_at"])
    transaction.on_commit(lambda: cache.delete(_CURRENT_KEY), robust=True)
    return notice


def notice_accept(*, user, notice: PrivacyNotice) -> NoticeAcceptance:
    """Record that the person accepted this version, now; accepting twice keeps the first."""
    acceptance, _created = NoticeAcceptance.objects.get_or_create(
        user=user, notice=notice, defaults={"accepted_at": timezone.now()}
    )
    return acceptance


def notice_seen_version(*, user, current: tuple[int, datetime.datetime]) -> int | None:
    """The version this person is up to date with, if it is the current one: they accepted it,
    or they joined after it was published (their sign-up showed it), or None."""
    version, published_at = current
    if NoticeAcceptance.objects.filter(user=user, notice__version__gte=version).exists():
        return version
    if user.date_joined >= published_at:
        return version
    return None


def notice_check_on_sign_in(sender, request, user, **kwargs):
    """On each sign-in (the `user_logged_in` signal): if the person is up to date with the
    current notice, their session says so; if not, the first page they open shows it."""
    if request is None or not hasattr(request, "session"):
        return
    current = notice_current_summary()
    if current is None:
        return
    seen = notice_seen_version(user=user, current=current)
    if seen is not None:
        request.session[SESSION_KEY] = seen
