from celery import shared_task

from privacy.services.exports import exports_expire


@shared_task
def data_exports_expire_task() -> int:
    """Remove the personal-data archives whose download link has expired; idempotent."""
    return exports_expire()
