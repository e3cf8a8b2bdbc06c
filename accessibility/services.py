"""Keeping a feedback message and emailing it to the secretariat."""

from django.conf import settings
from django.core.cache import cache

from accessibility.models import AccessibilityFeedback
from notifications.catalogue import NotificationKind
from notifications.services import notification_queue


def feedback_allowed(*, address: str) -> bool:
    """Whether one more message may come from this address in the current window
    (ACCESSIBILITY_FEEDBACK_LIMIT messages per ACCESSIBILITY_FEEDBACK_WINDOW seconds).

    Counted in the cache: while it is unreachable the limit is not applied, so nobody is kept
    from reporting a barrier by an outage."""
    key = f"accessibility-feedback:{address}"
    window = settings.ACCESSIBILITY_FEEDBACK_WINDOW
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr, or the cache is unreachable
        cache.add(key, 1, timeout=window)
        count = 1
    return count <= settings.ACCESSIBILITY_FEEDBACK_LIMIT


def feedback_send(*, name: str, email: str, page: str, message: str) -> AccessibilityFeedback:
    """Keep the message and queue its email to the secretariat, in the caller's transaction."""
    feedback = AccessibilityFeedback.objects.create(
        name=name, email=email, page=page, message=message
    )
    notification_queue(kind=NotificationKind.ACCESSIBILITY_FEEDBACK, object_id=feedback.pk)
    return feedback
