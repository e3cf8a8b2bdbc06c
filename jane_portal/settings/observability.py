"""Health probes, Prometheus metrics, the log format and error reporting (docs/observability.md).

Its middleware (the request id, the probes, the request metrics) is the first in base's list.
"""

import ipaddress
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from jane_portal.settings.base import env
from observability.errors import sentry_start
from observability.logs import logging_config

# The probes answer before SecurityMiddleware redirects to HTTPS; exempt here too, should the
# middleware ever move: a load balancer probes each node over plain HTTP on its own network.
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]

# Readiness (/health/ready/): each check's deadline in seconds, which checks run, and when the
# outbox's backlog makes the node unready.
HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=2.0)
HEALTH_READY_CHECKS = env.list(
    "HEALTH_READY_CHECKS", default=["database", "cache", "broker", "storage", "outbox"]
)
if unknown := set(HEALTH_READY_CHECKS) - {"database", "cache", "broker", "storage", "outbox"}:
    raise ImproperlyConfigured(f"HEALTH_READY_CHECKS names no such check: {sorted(unknown)}")
HEALTH_OUTBOX_MAX_FAILED = env.int("HEALTH_OUTBOX_MAX_FAILED", default=0)
HEALTH_OUTBOX_MAX_DELAY = env.float("HEALTH_OUTBOX_MAX_DELAY", default=600.0)

# /metrics: readable from these addresses or networks (direct connections only), or with
# "Authorization: Bearer METRICS_TOKEN" from anywhere.
METRICS_ALLOWED_ADDRESSES = env.list("METRICS_ALLOWED_ADDRESSES", default=["127.0.0.1", "::1"])
METRICS_ALLOWED_NETWORKS = [
    ipaddress.ip_network(address, strict=False) for address in METRICS_ALLOWED_ADDRESSES
]
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_CELERY_QUEUES = env.list("METRICS_CELERY_QUEUES", default=["celery"])
# prometheus_client reads this variable itself: with several gunicorn workers, an empty
# folder per instance, emptied before it starts (docs/observability.md).
PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
if PROMETHEUS_MULTIPROC_DIR:
    Path(PROMETHEUS_MULTIPROC_DIR).mkdir(parents=True, exist_ok=True)

# Logs: "console" (Django's plain lines, for `make run`) or "json" (one object per line).
LOG_FORMAT = env("LOG_FORMAT", default="console")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env("LOG_LEVEL", default="INFO"))

# Error reporting: nothing is sent unless SENTRY_DSN is set.
SENTRY_DSN = env("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", default="production")
SENTRY_RELEASE = env("SENTRY_RELEASE", default="")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
if SENTRY_DSN:
    sentry_start(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        release=SENTRY_RELEASE,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )
