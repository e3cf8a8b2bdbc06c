import datetime

from celery import shared_task
from django.db import transaction

from endorsements.services.reminders import endorsement_reminders_queue

REMIND_BEFORE = datetime.timedelta(days=3)


@shared_task
def endorsement_reminders_task() -> int:
    """Remind the national endorsers of applications still awaiting them within three days of
    endorsement closing; each endorser is reminded once per application."""
    with transaction.atomic():
        return endorsement_reminders_queue(within=REMIND_BEFORE)
