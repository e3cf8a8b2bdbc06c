"""/health/live/, /health/ready/ and /metrics, answered here before any other middleware.

Answered ahead of Django's host validation (a load balancer's probe may name the node by its
address), the HTTPS redirect, sessions, CSRF and the request's transaction (ATOMIC_REQUESTS
wraps views, and these are not views): liveness touches nothing at all. None of them depends
on the Host header or on who asks, but /metrics, which only the addresses in
METRICS_ALLOWED_ADDRESSES or a bearer of METRICS_TOKEN may read.
"""

import hmac
import ipaddress
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from prometheus_client import CONTENT_TYPE_LATEST

from observability.health import readiness
from observability.metrics import metrics_exposition

LIVE, READY, METRICS = "/health/live/", "/health/ready/", "/metrics"


def live(request) -> HttpResponse:
    """The process answers: nothing else is touched."""
    return JsonResponse({"status": "ok"})


def ready(request) -> HttpResponse:
    """200 when every check passes, 503 naming each check's outcome otherwise."""
    passed, checks = readiness()
    body = {"status": "ok" if passed else "unavailable", "checks": checks}
    return HttpResponse(
        json.dumps(body), status=200 if passed else 503, content_type="application/json"
    )


def metrics_allowed(request) -> bool:
    """A bearer of METRICS_TOKEN, or a direct connection from an allowed address. A request
    that came through a proxy (X-Forwarded-For) is never allowed by address: behind nginx
    every client seems to come from 127.0.0.1."""
    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    if "X-Forwarded-For" in request.headers:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_NETWORKS)


def metrics(request) -> HttpResponse:
    if not metrics_allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(metrics_exposition(), content_type=CONTENT_TYPE_LATEST)


ROUTES = {LIVE: live, READY: ready, METRICS: metrics}


class ProbeMiddleware:
    """Serves the three addresses above; every other request goes on down the chain."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        answer = ROUTES.get(request.path_info)
        if answer is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        else:
            response = answer(request)
        add_never_cache_headers(response)
        return response
