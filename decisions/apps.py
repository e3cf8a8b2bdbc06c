from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Decision letters and redress")

    def ready(self):
        from decisions import notifications, rules  # noqa: F401  (rules registers permissions)

        notifications.register()
