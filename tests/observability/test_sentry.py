"""Error reporting: with SENTRY_DSN set, an unhandled error in a request to a gunicorn portal
reaches Sentry's ingest (here a real HTTP server of the test's own) as an envelope naming the
exception, with no personal data in it.

The error is a real one: the portal's database does not exist (a wrong DATABASE_URL), so the
first page that reads it fails with psycopg2's OperationalError, as it would in production.
"""

import gzip
import json
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.chaos.services import Process, ServiceError, free_port, tail, wait_for
from tests.observability.conftest import portal_environment, shared_postgres_url

EMAIL = "someone.private@example.org"
COOKIE = "sessionid=cookie-value-that-must-stay-home"


class Ingest(BaseHTTPRequestHandler):
    """Sentry's envelope endpoint: keeps each body, decompressed as the SDK sent it."""

    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding:  # sentry-sdk uses brotli only where it is installed (it is not)
            raise AssertionError(f"an encoding this receiver does not read: {encoding}")
        Ingest.received.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def ingest():
    Ingest.received = []
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Ingest)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def failing_portal(ingest, tmp_path):
    port = free_port()
    env = portal_environment(
        tmp_path,
        DATABASE_URL=shared_postgres_url("h_obs_does_not_exist"),
        SENTRY_DSN=f"http://publickey@127.0.0.1:{ingest.server_port}/42",
        SENTRY_ENVIRONMENT="observability-test",
        SENTRY_RELEASE="portal@test",
    )
    web = Process(
        "gunicorn-sentry",
        [sys.executable, "-m", "gunicorn", "jane_portal.wsgi", "--bind", f"127.0.0.1:{port}"],
        log=tmp_path / "gunicorn.log",
        env=env,
    ).start()
    url = f"http://127.0.0.1:{port}"

    def live() -> bool:
        with urllib.request.urlopen(url + "/health/live/", timeout=5) as response:
            return response.status == 200

    try:
        if wait_for(live, 60, step=0.2) is None:
            raise ServiceError("gunicorn did not start:\n" + tail(web.log))
        yield url, web
    finally:
        web.stop()


def test_an_unhandled_error_reaches_sentry_without_personal_data(failing_portal):
    url, web = failing_portal
    request = urllib.request.Request(
        f"{url}/?email={EMAIL}", headers={"Cookie": COOKIE, "X-Request-ID": "sentry-test-1"}
    )
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=10)
    assert answer.value.code == 500

    def reported() -> bool:
        return any(b"OperationalError" in body for body in Ingest.received)

    assert wait_for(reported, 20, step=0.2) is not None, tail(web.log)
    envelope = next(body for body in Ingest.received if b"OperationalError" in body)
    items = [json.loads(line) for line in envelope.splitlines() if line.strip()]
    event = next(item for item in items if "exception" in item)
    assert event["exception"]["values"][-1]["type"] == "OperationalError"
    assert event["environment"] == "observability-test"
    assert event["release"] == "portal@test"
    assert event["tags"]["request_id"] == "sentry-test-1"
    for secret in (EMAIL, EMAIL.replace("@", "%40"), "cookie-value-that-must-stay-home"):
        for body in Ingest.received:
            assert secret.encode() not in body
    assert "user" not in event
