from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ErasureConfig(AppConfig):
    name = "erasure"
    verbose_name = _("Personal data: erasure and retention")

    def ready(self):
        from erasure import notifications

        notifications.register()
