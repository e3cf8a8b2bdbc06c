import datetime

from celery import shared_task
from django.db import transaction

from notifications.catalogue import NotificationKind
from notifications.models import SentNotification
from notifications.services import notification_queue
from reviews.services.assignments import reviews_due_soon
from reviews.services.batch import routing_run_compute
from reviews.services.pausing import assignments_paused_lapse

REMIND_BEFORE = datetime.timedelta(days=3)


@shared_task(acks_late=True)
def routing_run_compute_task(*, run_id: int) -> str:
    """Compute a batch assignment's preview; a run already computed is left as it is."""
    run = routing_run_compute(run_id=run_id)
    return run.status if run else "gone"


@shared_task
def review_reminders_task() -> int:
    """Remind reviewers whose review is due within three days; each is reminded once (the
    outbox sends each reminder once, however often this runs)."""
    due = set(reviews_due_soon(within=REMIND_BEFORE)) - set(
        SentNotification.objects.filter(
            kind=NotificationKind.REVIEW_REMINDER, sent_at__isnull=False
        ).values_list("object_id", flat=True)
    )
    with transaction.atomic():
        for assignment_id in sorted(due):
            notification_queue(
                kind=NotificationKind.REVIEW_REMINDER, object_id=assignment_id, language="en"
            )
    return len(due)


@shared_task
def paused_assignments_lapse_task() -> int:
    """Give back the places of reviewers paused on drafts whose deadline has passed."""
    return assignments_paused_lapse()
