"""The Celery app, configured from the CELERY_* settings; tasks are found in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jane_portal.settings")

app = Celery("jane_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
