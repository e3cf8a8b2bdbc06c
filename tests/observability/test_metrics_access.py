"""Who may read /metrics, and what the request metrics say after some requests."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_metrics_are_refused_to_other_addresses_and_through_a_proxy(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    # Behind nginx every client comes from 127.0.0.1: a forwarded request is not loopback's.
    forwarded = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert forwarded.status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    settings.METRICS_ALLOWED_NETWORKS = []
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


def test_metrics_need_the_right_bearer_token_from_elsewhere(client, settings):
    settings.METRICS_TOKEN = "s3cret-scraper-token"
    remote = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert client.get("/metrics", **remote).status_code == 403
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer guessed", **remote)
    assert wrong.status_code == 403
    right = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scraper-token", **remote)
    assert right.status_code == 200
    assert right["Content-Type"].startswith("text/plain")


def count(text: str, view: str, status: str) -> float:
    found = re.search(
        rf'^jane_http_responses_total{{method="GET",status="{status}",view="{view}"}} (\S+)$',
        text,
        re.MULTILINE,
    )
    return float(found.group(1)) if found else 0.0


def test_request_latency_and_responses_are_counted_by_view(client):
    before = client.get("/metrics").content.decode()
    for _ in range(3):
        assert client.get("/accessibility/").status_code == 200
    text = client.get("/metrics").content.decode()
    assert count(text, "accessibility:statement", "200") == (
        count(before, "accessibility:statement", "200") + 3
    )
    assert re.search(
        r'^jane_http_request_duration_seconds_bucket\{le="0.5",method="GET",'
        r'view="accessibility:statement"\} \S+$',
        text,
        re.MULTILINE,
    )
    assert (
        'jane_http_request_duration_seconds_count{method="GET",view="accessibility:statement"}'
        in text
    )
    assert "jane_outbox_pending_items " in text
    assert "jane_outbox_failed_items " in text
