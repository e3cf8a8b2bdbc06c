"""The dashboards' Celery task: the background refresh of the figure snapshots."""

import logging

from celery import shared_task

from dashboards.services import figures_refresh

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def figures_refresh_task(*, missing: bool = False) -> int:
    """Recompute the stale snapshots, unless another refresh runs or one began too recently
    (beat runs this every DASHBOARD_REFRESH_SECONDS, so those changes are not forgotten, and
    stores the standard dashboards' missing snapshots then: `missing`)."""
    return figures_refresh(missing=missing)


def figures_refresh_kick() -> None:
    """Ask a worker for a refresh now. Never raises: with the broker down, beat's next run
    refreshes the figures, and pages show the stored ones meanwhile."""
    try:
        figures_refresh_task.delay()
    except Exception:
        logger.warning("dashboards: could not ask for a refresh; beat will", exc_info=True)
