from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservabilityConfig(AppConfig):
    name = "observability"
    verbose_name = _("Observability")

    def ready(self):
        # Celery's signals carry the request id into directly queued tasks and bind it to
        # the log context of the task that runs (web processes and workers load this app).
        from observability import request_id

        request_id.celery_signals_connect()
