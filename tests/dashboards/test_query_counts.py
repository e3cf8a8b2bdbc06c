"""The dashboards ask the database the same number of questions for 10 applications as for
10,000: with no stored figures (computed during the request), with stored ones and the cache
flushed, and with the drawing cached (then a page reads no figures: the signed-in user only)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from dashboards.models import FigureSnapshot
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


def counts(client, count_queries, urls) -> list[tuple[int, int, int]]:
    """(queries with no stored figures, with stored ones and a flushed cache, with a warm
    cache) for each address."""
    result = []
    for url in urls:
        FigureSnapshot.objects.all().delete()
        cache.clear()
        row = []
        for flush in (False, True, False):
            if flush:
                cache.clear()
            queries, response = count_queries(lambda url=url: client.get(url))
            assert response.status_code == 200
            row.append(queries)
        result.append(tuple(row))
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
    # Stored figures spare every figure query: such a page asks far less than a cold one.
    for cold, flushed, warm in few:
        assert flushed <= cold - 10
        assert warm <= flushed
    # A warm page reads no figures at all: its content comes from the cache whole.
    for (_cold, flushed, warm), url in zip(few[:3], urls[:3], strict=True):
        assert warm <= flushed - 1, url
    response = client.get(urls[2])
    assert "10,000" in response.content.decode() or "10000" in response.content.decode()
