from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Decision letters and redress")

    def ready(self):
        from decisions import notifications, roles, rules  # noqa: F401  (rules: permissions)

        notifications.register()
        roles.register()
