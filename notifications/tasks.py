from celery import shared_task

from notifications.services import notification_send


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def notification_send_task(*, kind: str, object_id: int, language: str) -> int:
    """Send one catalogue notification; idempotent, so a retry or a duplicate is harmless."""
    return notification_send(kind=kind, object_id=object_id, language=language)
