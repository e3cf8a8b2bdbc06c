"""The request id: taken from the reverse proxy's X-Request-ID when well-formed, else made
here; returned in the response, bound to every log line of the request, stored with the outbox
items it asks for (outbox/services.py) and sent as a header with the tasks it queues."""

import re
import uuid

import structlog
from celery import signals

HEADER = "X-Request-ID"
# What a proxy may send: letters, digits and . _ : - only, at most 64 characters (the outbox
# keeps 64), so the id can never smuggle anything into a log line or a header.
WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def request_id_from(value: str | None) -> str:
    """The proxy's id if it is well-formed, else a new one."""
    if value and WELL_FORMED.fullmatch(value):
        return value
    return uuid.uuid4().hex


def request_id_current() -> str | None:
    """The request id bound to the log context, if any."""
    return structlog.contextvars.get_contextvars().get("request_id")


class RequestIdMiddleware:
    """First of all middleware, so that every line logged for the request carries its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        structlog.contextvars.clear_contextvars()  # nothing left from the thread's last request
        with structlog.contextvars.bound_contextvars(request_id=request_id):
            response = self.get_response(request)
        response[HEADER] = request_id
        return response


def _task_publishing(headers=None, **kwargs):
    request_id = request_id_current()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


def _task_starting(task=None, task_id=None, **kwargs):
    # A pool process runs one task after another: the last task's context is dropped.
    structlog.contextvars.clear_contextvars()
    request_id = getattr(task.request, "request_id", None) if task is not None else None
    structlog.contextvars.bind_contextvars(
        task=getattr(task, "name", None), task_id=task_id, request_id=request_id
    )


def celery_signals_connect() -> None:
    """Connect the publishing and starting hooks (weak=False: they are module functions)."""
    signals.before_task_publish.connect(_task_publishing, weak=False, dispatch_uid="obs-publish")
    signals.task_prerun.connect(_task_starting, weak=False, dispatch_uid="obs-prerun")
