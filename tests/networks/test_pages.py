import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from networks.models import Network
from tests.factories import CallFactory, InstitutionFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def cold_get(client, url):
    """The page rendered afresh: these tests change data inside a transaction that never
    commits, so the cached public page is not made stale (tests/calls/test_page_cache.py)."""
    cache.clear()
    return client.get(url)


def test_home_lists_the_seven_networks_with_their_open_call_counts(client):
    omics = Network.objects.get(slug="omics")
    CallFactory.create_batch(2, network=omics)
    CallFactory(network=omics, opens_at=timezone.now() + datetime.timedelta(days=3))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    page = response.content.decode()
    for network in Network.objects.all():
        assert network.name in page
    assert "2 open calls" in page
    assert "0 open calls" in page


def test_home_shows_no_unpublished_call_in_its_counts(client):
    CallFactory(network=Network.objects.get(slug="survivorship"), is_published=False)
    response = client.get(reverse("home"))
    assert "1 open call" not in response.content.decode()


def test_network_page_shows_scope_lead_members_by_country_and_calls(client):
    network = Network.objects.get(slug="palliative-care")
    MembershipFactory(
        network=network, institution=InstitutionFactory(name="Haukeland", country="NO")
    )
    MembershipFactory(network=network, institution=InstitutionFactory(name="Gemelli", country="IT"))
    MembershipFactory(
        network=network,
        institution=InstitutionFactory(name="Former member", country="IT"),
        until=datetime.date(2025, 12, 31),
    )
    call = CallFactory(network=network, title="Palliative care call 2026")

    response = client.get(network.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Oslo University Hospital" in page
    assert "Palliative care call 2026" in page
    assert call.get_absolute_url() in page
    assert "2 members" in page
    assert "in 2 countries" in page
    assert page.index("Italy") < page.index("Norway")
    assert "Former member" not in page


def test_network_page_for_an_unknown_slug_is_a_404(client):
    assert client.get("/networks/no-such-network/").status_code == 404


def test_home_query_count_does_not_grow_with_calls(client, count_queries):
    networks = list(Network.objects.all())
    CallFactory(network=networks[0])
    few, _ = count_queries(lambda: cold_get(client, reverse("home")))
    for network in networks:
        CallFactory.create_batch(3, network=network)
    many, response = count_queries(lambda: cold_get(client, reverse("home")))
    assert response.status_code == 200
    assert many == few


def test_network_page_query_count_does_not_grow_with_members_or_calls(client, count_queries):
    network = Network.objects.get(slug="omics")
    MembershipFactory(network=network)
    CallFactory(network=network)
    few, _ = count_queries(lambda: cold_get(client, network.get_absolute_url()))
    for country in ["DE", "ES", "FR", "PT", "PL", "SE", "NL"]:
        MembershipFactory.create_batch(5, network=network, institution__country=country)
    CallFactory.create_batch(4, network=network)
    many, response = count_queries(lambda: cold_get(client, network.get_absolute_url()))
    assert response.status_code == 200
    assert "36 members" in response.content.decode()
    assert many == few
