"""The dashboards ask the database the same number of questions for 10 applications as for
10,000, whether the figures come from the cache or are computed afresh."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.dashboards.conftest import applications_bulk

pytestmark = pytest.mark.django_db


def dashboard_urls(call):
    network = call.network
    return [
        reverse("dashboards:overview"),
        reverse("dashboards:network", args=[network.slug]),
        reverse("dashboards:call", args=[call.slug]),
        reverse("dashboards:overview_csv", args=["countries"]),
        reverse("dashboards:call_csv", args=[call.slug, "stages"]),
    ]


def counts(client, count_queries, urls) -> list[tuple[int, int]]:
    """(queries with a cold cache, queries with a warm one) for each address."""
    result = []
    for url in urls:
        cache.clear()
        cold, response = count_queries(lambda url=url: client.get(url))
        assert response.status_code == 200
        warm, response = count_queries(lambda url=url: client.get(url))
        assert response.status_code == 200
        result.append((cold, warm))
    return result


def test_dashboard_queries_do_not_grow_from_10_to_10000_applications(
    client, observer, palliative_call, count_queries
):
    client.force_login(observer)
    urls = dashboard_urls(palliative_call)
    applications_bulk(palliative_call, 10)
    few = counts(client, count_queries, urls)
    applications_bulk(palliative_call, 9_990, start=10)
    many = counts(client, count_queries, urls)
    assert many == few
    # The cache spares every figure query: a warm page asks far less than a cold one.
    for cold, warm in few:
        assert warm <= cold - 10
    response = client.get(urls[2])
    assert "10,000" in response.content.decode() or "10000" in response.content.decode()
