"""The Celery app, configured from the CELERY_* settings; tasks are found in each app's tasks.py."""

import os

from celery import Celery, signals
from django.conf import settings

from observability.logs import json_formatter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jane_portal.settings")

app = Celery("jane_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _json_lines(logger=None, **kwargs):
    """With LOG_FORMAT=json, Celery's own handlers write the portal's JSON lines (with the
    task and the request id bound by observability/request_id.py); else Celery's format."""
    if settings.LOG_FORMAT == "json":
        for handler in logger.handlers:
            handler.setFormatter(json_formatter())
