from smtplib import SMTPException

from celery import shared_task

from decisions.services.letters import letter_send


@shared_task(
    acks_late=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def letter_send_task(*, letter_id: int) -> bool:
    """Send one released decision letter; idempotent, so a retry or a duplicate is harmless."""
    return letter_send(letter_id=letter_id)
