from celery import shared_task

from erasure.retention import retention_run


@shared_task
def retention_task() -> int:
    """Beat's daily run of the retention rules: records a report and applies only the rules
    marked to apply (`RETENTION_RULES`). Returns the report's id."""
    return retention_run(dry_run=False).pk
