import datetime

from celery import shared_task
from django.db import InterfaceError, OperationalError

from notifications.catalogue import NotificationKind
from notifications.services import notification_send
from reviews.services.assignments import reviews_due_soon
from reviews.services.batch import routing_run_compute
from reviews.services.routing import application_route, applications_awaiting_routing

SWEEP_AFTER = datetime.timedelta(minutes=2)
REMIND_BEFORE = datetime.timedelta(days=3)


@shared_task(
    acks_late=True,
    # Transient database trouble is retried; a bug is not retried into the ground.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=10,
)
def application_route_task(*, application_id: int) -> int:
    """Route one application; idempotent, so a retry or a duplicate is harmless."""
    outcome = application_route(application_id=application_id)
    return len(outcome.assigned) if outcome else 0


@shared_task
def routing_sweep_task() -> int:
    """Queue again every application left waiting for routing (a lost task, no reviewer free)."""
    waiting = applications_awaiting_routing(older_than=SWEEP_AFTER)
    for application_id in waiting:
        application_route_task.delay(application_id=application_id)
    return len(waiting)


@shared_task(acks_late=True)
def routing_run_compute_task(*, run_id: int) -> str:
    """Compute a batch assignment's preview; a run already computed is left as it is."""
    run = routing_run_compute(run_id=run_id)
    return run.status if run else "gone"


@shared_task
def review_reminders_task() -> int:
    """Remind reviewers whose review is due within three days; each is reminded once."""
    sent = 0
    for assignment_id in reviews_due_soon(within=REMIND_BEFORE):
        sent += notification_send(
            kind=NotificationKind.REVIEW_REMINDER, object_id=assignment_id, language="en"
        )
    return sent
