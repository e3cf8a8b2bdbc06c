"""The email that takes an accessibility feedback message to the secretariat."""

from django.conf import settings
from django.urls import reverse

from accessibility.models import AccessibilityFeedback
from notifications.catalogue import Notification, NotificationKind, notification_register


def register() -> None:
    notification_register(
        NotificationKind.ACCESSIBILITY_FEEDBACK,
        Notification(
            load=lambda pk: AccessibilityFeedback.objects.get(pk=pk),
            recipients=lambda feedback: list(settings.ACCESSIBILITY_FEEDBACK_EMAILS),
            context=lambda feedback: {
                "feedback": feedback,
                "path": reverse(
                    "admin:accessibility_accessibilityfeedback_change", args=[feedback.pk]
                ),
            },
        ),
    )
