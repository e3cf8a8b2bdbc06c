"""Prometheus metrics: each request's latency and status by view, and, read when scraped, the
Celery queues' length and the outbox's backlog.

With PROMETHEUS_MULTIPROC_DIR set (gunicorn's several workers), prometheus_client keeps each
process's counters in files there and the scrape adds them up (its multiprocess mode).
"""

import logging
import time

import redis
from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

from observability.health import broker_redis_url
from outbox.enums import OutboxStatus
from outbox.models import OutboxItem

logger = logging.getLogger(__name__)
# The *_created series double the exposition and say nothing a rate() needs.
disable_created_metrics()

REQUEST_SECONDS = Histogram(
    "jane_http_request_duration_seconds",
    "Time from the request reaching Django to its response, by view.",
    ["view", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
RESPONSES = Counter(
    "jane_http_responses",
    "Responses, by view and status code.",
    ["view", "method", "status"],
)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# kombu's Redis transport keeps a queue's messages of priority p > 0 under queue + SEP + p.
PRIORITY_SEPARATOR = "\x06\x16"
PRIORITY_STEPS = (3, 6, 9)


class RequestMetricsMiddleware:
    """Times every response (Django's own error pages included) and counts it by status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        match = request.resolver_match
        # The URL's name (bounded: one per route), never the path itself.
        view = match.view_name if match is not None else "<unresolved>"
        method = request.method if request.method in METHODS else "other"
        REQUEST_SECONDS.labels(view, method).observe(elapsed)
        RESPONSES.labels(view, method, str(response.status_code)).inc()
        return response


class BacklogCollector(Collector):
    """Read at each scrape: one query for the outbox's counts, one for its oldest due item,
    LLEN of each Celery queue. A source that cannot be read says so in jane_scrape_source_up."""

    def collect(self):
        up = GaugeMetricFamily(
            "jane_scrape_source_up", "Whether the scrape could read this source.", labels=["source"]
        )
        try:
            yield from self._outbox()
            up.add_metric(["outbox"], 1)
        except Exception:
            logger.warning("metrics: the outbox could not be read", exc_info=True)
            up.add_metric(["outbox"], 0)
        url = broker_redis_url()
        if url:
            try:
                yield self._queues(url)
                up.add_metric(["broker"], 1)
            except redis.RedisError:
                logger.warning("metrics: the broker could not be read", exc_info=True)
                up.add_metric(["broker"], 0)
        yield up

    def _outbox(self):
        counts = OutboxItem.objects.aggregate(
            pending=Count("pk", filter=Q(status=OutboxStatus.PENDING)),
            failed=Count("pk", filter=Q(status=OutboxStatus.FAILED)),
        )
        now = timezone.now()
        oldest = OutboxItem.objects.filter(
            status=OutboxStatus.PENDING, available_at__lte=now
        ).aggregate(oldest=Min("available_at"))["oldest"]
        yield GaugeMetricFamily(
            "jane_outbox_pending_items",
            "Outbox items not yet done (due now or waiting for a retry).",
            value=counts["pending"],
        )
        yield GaugeMetricFamily(
            "jane_outbox_failed_items",
            "Outbox items given up after OUTBOX_RETRY_FOR; an operator sends them again.",
            value=counts["failed"],
        )
        yield GaugeMetricFamily(
            "jane_outbox_oldest_due_seconds",
            "How long the oldest item due for delivery has waited (0: none).",
            value=(now - oldest).total_seconds() if oldest else 0.0,
        )

    def _queues(self, url: str) -> GaugeMetricFamily:
        family = GaugeMetricFamily(
            "jane_celery_queue_length", "Messages waiting in the broker's queue.", labels=["queue"]
        )
        client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        try:
            with client.pipeline(transaction=False) as pipe:
                for queue in settings.METRICS_CELERY_QUEUES:
                    pipe.llen(queue)
                    for step in PRIORITY_STEPS:
                        pipe.llen(f"{queue}{PRIORITY_SEPARATOR}{step}")
                lengths = pipe.execute()
        finally:
            client.close()
        per_queue = 1 + len(PRIORITY_STEPS)
        for index, queue in enumerate(settings.METRICS_CELERY_QUEUES):
            family.add_metric([queue], sum(lengths[index * per_queue : (index + 1) * per_queue]))
        return family


def metrics_exposition() -> bytes:
    """The text a scrape receives: every process's request metrics, then the backlog."""
    if settings.PROMETHEUS_MULTIPROC_DIR:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        requests = generate_latest(registry)
    else:
        requests = generate_latest(REGISTRY)
    backlog = CollectorRegistry()
    backlog.register(BacklogCollector())
    return requests + generate_latest(backlog)
