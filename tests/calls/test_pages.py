import datetime
import zoneinfo

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from calls.enums import AnswerType
from calls.services import call_suspend
from networks.models import Network
from tests.factories import CallFactory, CriterionFactory, RequiredDocumentFactory

pytestmark = pytest.mark.django_db


def cold_get(client, url):
    """The page rendered afresh: these tests change data inside a transaction that never
    commits, so the cached public page is not made stale (tests/calls/test_page_cache.py)."""
    cache.clear()
    return client.get(url)


BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def in_days(days):
    return timezone.now() + datetime.timedelta(days=days)


def test_call_list_filters_by_network_and_status(client):
    omics = Network.objects.get(slug="omics")
    CallFactory(network=omics, title="Omics open call")
    CallFactory(
        network=omics, title="Omics past call", opens_at=in_days(-60), closes_at=in_days(-30)
    )
    CallFactory(title="Another network's call")

    response = client.get(reverse("calls:list"), {"network": "omics", "status": "open"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Omics open call" in page
    assert "Omics past call" not in page
    assert "Another network&#x27;s call" not in page
    assert "1 call" in page


def test_call_list_shows_each_status(client):
    CallFactory(title="Upcoming one", opens_at=in_days(5), closes_at=in_days(40))
    CallFactory(title="Closed one", opens_at=in_days(-40), closes_at=in_days(-5))
    response = client.get(reverse("calls:list"), {"status": "upcoming"})
    page = response.content.decode()
    assert "Upcoming one" in page and "Closed one" not in page


def test_call_list_hides_unpublished_calls(client):
    CallFactory(title="Draft call", is_published=False)
    assert "Draft call" not in client.get(reverse("calls:list")).content.decode()


@pytest.mark.parametrize(
    ("query", "field_error"),
    [
        ({"network": "no-such-network"}, "Select a valid choice"),
        ({"status": "'; drop table calls_call;--"}, "Select a valid choice"),
        ({"network": "x" * 5000}, "Select a valid choice"),
    ],
)
def test_call_list_explains_a_malformed_filter_beside_its_field(client, query, field_error):
    response = client.get(reverse("calls:list"), query)
    assert response.status_code == 400
    page = response.content.decode()
    assert field_error in page
    assert "invalid-feedback" in page


def test_call_page_shows_the_window_in_the_calls_time_zone_with_time_left(client):
    call = CallFactory(
        opens_at=in_days(-3),
        closes_at=datetime.datetime(2099, 11, 30, 23, 59, tzinfo=BRUSSELS),
    )
    response = client.get(call.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "30 November 2099, 23:59 CET (Europe/Brussels)" in page
    assert 'datetime="2099-11-30T22:59:00+00:00"' in page  # for the visitor's own zone
    assert "Time left" in page


def test_call_page_shows_eligibility_documents_and_criteria(client):
    call = CallFactory(
        admitted_country_groups=["eu", "eea"],
        admitted_institution_types=["hospital"],
        tiers_offered=["full_member", "affiliated_partner"],
    )
    RequiredDocumentFactory(call=call, allowed_formats=["pdf"], max_size_mb=12)
    CriterionFactory(
        section__criteria_set=call.criteria_set,
        title="Annual volume of pancreatic resections",
        answer_type=AnswerType.NUMBER,
        word_limit=None,
        weight=2,
        score_min=0,
        score_max=4,
    )
    page = client.get(call.get_absolute_url()).content.decode()
    assert "EU Member State, EEA country" in page
    assert "Hospital" in page
    assert "Full member, Affiliated partner" in page
    assert "National letter of endorsement" in page
    assert "12 MB" in page
    assert "Annual volume of pancreatic resections" in page
    assert "scored 0–4, weight 2" in page


def test_call_page_says_the_deadline_was_extended_by_a_suspension(client):
    call = CallFactory(opens_at=in_days(-10), closes_at=in_days(10))
    call_suspend(call=call, starts_at=in_days(-5), ends_at=in_days(-3), reason="Maintenance")
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Extended because the call was suspended." in page
    assert "Maintenance" in page


def test_call_page_for_an_unknown_or_unpublished_slug_is_a_404(client):
    draft = CallFactory(is_published=False)
    assert client.get("/calls/no-such-call/").status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_call_list_query_count_does_not_grow_with_calls(client, count_queries):
    CallFactory(network=Network.objects.get(slug="omics"))
    few, _ = count_queries(lambda: cold_get(client, reverse("calls:list")))
    for network in Network.objects.all():
        call = CallFactory(network=network)
        call_suspend(call=call, starts_at=in_days(-2), ends_at=in_days(-1), reason="Pause")
        CallFactory(network=network, opens_at=in_days(3), closes_at=in_days(30))
    many, response = count_queries(lambda: cold_get(client, reverse("calls:list")))
    assert response.status_code == 200
    assert "15 calls" in response.content.decode()
    assert many == few


def test_call_page_query_count_does_not_grow_with_criteria_and_documents(client, count_queries):
    call = CallFactory()
    CriterionFactory(section__criteria_set=call.criteria_set)
    few, _ = count_queries(lambda: cold_get(client, call.get_absolute_url()))
    RequiredDocumentFactory.create_batch(4, call=call)
    CriterionFactory.create_batch(10, section__criteria_set=call.criteria_set)
    many, _ = count_queries(lambda: cold_get(client, call.get_absolute_url()))
    assert many == few


def test_call_list_shows_open_calls_first_then_upcoming_then_closed(client):
    CallFactory(title="Closed long ago", opens_at=in_days(-90), closes_at=in_days(-60))
    CallFactory(title="Upcoming later", opens_at=in_days(30), closes_at=in_days(60))
    CallFactory(title="Upcoming soon", opens_at=in_days(5), closes_at=in_days(40))
    CallFactory(title="Open, closing late", opens_at=in_days(-5), closes_at=in_days(40))
    CallFactory(title="Open, closing soon", opens_at=in_days(-5), closes_at=in_days(3))
    CallFactory(title="Closed lately", opens_at=in_days(-40), closes_at=in_days(-5))
    page = client.get(reverse("calls:list")).content.decode()
    titles = [
        "Open, closing soon",
        "Open, closing late",
        "Upcoming soon",
        "Upcoming later",
        "Closed lately",
        "Closed long ago",
    ]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions)
