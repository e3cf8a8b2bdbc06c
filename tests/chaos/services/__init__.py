"""The private services of a fault run, each a real process that the run starts, breaks and stops:
PostgreSQL, Redis, an SMTP sink, gunicorn serving the portal, Celery workers and beat.

Nothing here touches the shared PostgreSQL (5432) or Redis (6379): every port is a free one on
127.0.0.1, every data directory lies in the run's own folder, and every process is started in a
process group of its own, which is what `stop` and `kill` signal. `stop_everything` ends all the
groups this module started and nothing else.
"""

from tests.chaos.services.databases import Postgres, Redis
from tests.chaos.services.mail import Mail, SmtpSink
from tests.chaos.services.portal import Portal, Topology
from tests.chaos.services.processes import (
    ROOT,
    STARTUP_SECONDS,
    Process,
    ServiceError,
    free_port,
    stop_everything,
    tail,
    wait_for,
)

__all__ = [
    "ROOT",
    "STARTUP_SECONDS",
    "Mail",
    "Portal",
    "Postgres",
    "Process",
    "Redis",
    "ServiceError",
    "SmtpSink",
    "Topology",
    "free_port",
    "stop_everything",
    "tail",
    "wait_for",
]
