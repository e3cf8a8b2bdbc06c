from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EndorsementsConfig(AppConfig):
    name = "endorsements"
    verbose_name = _("National endorsement")

    def ready(self):
        from endorsements import notifications, roles

        notifications.register()
        roles.register()
