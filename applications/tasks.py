from celery import shared_task

from applications.services.submission import application_mark_awaiting_routing


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def application_route_task(*, application_id: int) -> bool:
    """Take a submitted application into routing; for now it records that it awaits routing."""
    return application_mark_awaiting_routing(application_id=application_id)
