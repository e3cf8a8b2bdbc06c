from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessibilityConfig(AppConfig):
    """The accessibility statement (the EU model of Implementing Decision (EU) 2018/1523) and
    the feedback it invites, kept and emailed to the secretariat through the outbox."""

    name = "accessibility"
    verbose_name = _("Accessibility")

    def ready(self):
        from accessibility import notifications

        notifications.register()
