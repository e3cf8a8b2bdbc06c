"""Error reporting to Sentry when SENTRY_DSN is set; nothing is sent anywhere otherwise.

No personal data leaves: send_default_pii is off (no cookies, user or address), request bodies
and local variables are never sent, the query string is dropped, and log records do not
become breadcrumbs (their messages may name a person)."""

import logging

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.logging import LoggingIntegration

from observability.request_id import request_id_current


def _without_personal_data(event, hint):
    request = event.get("request")
    if request:
        for field in ("data", "cookies", "query_string", "env"):
            request.pop(field, None)
        request["headers"] = {
            name: value
            for name, value in (request.get("headers") or {}).items()
            if name.lower() in {"host", "user-agent", "x-request-id", "content-type"}
        }
        if request.get("url"):
            request["url"] = request["url"].split("?", 1)[0]
    event.pop("user", None)
    return event


def sentry_start(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    """Start the SDK in this process (web or worker), with the Django and Celery integrations."""

    def before_send(event, hint):
        request_id = request_id_current()
        if request_id:
            event.setdefault("tags", {})["request_id"] = request_id
        return _without_personal_data(event, hint)

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=traces_sample_rate,
        integrations=[
            DjangoIntegration(),
            CeleryIntegration(),
            LoggingIntegration(level=None, event_level=logging.ERROR),
        ],
        before_send=before_send,
    )
