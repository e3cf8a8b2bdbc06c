"""The public pages are served to anonymous visitors from Redis, and never stale: a committed
change shows on the next request in every language, a call shows closed the moment it closes,
and no visitor ever sees another's CSRF token, messages or signed-in page."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from networks.models import Network
from tests.factories import CallFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def page(client, url, language="en"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    return content


def database_queries(action):
    """The questions a request asks the database, leaving out the savepoints of
    ATOMIC_REQUESTS inside the test's transaction."""
    with CaptureQueriesContext(connection) as context:
        response = action()
    queries = [q for q in context.captured_queries if "SAVEPOINT" not in q["sql"]]
    return len(queries), response


@pytest.fixture
def omics_call():
    return CallFactory(network=Network.objects.get(slug="omics"), title="Omics call, first title")


# The changes commit for real, as a coordinator's would, so the outbox bumps the generation.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def public_urls(call):
    return [
        reverse("calls:list"),
        call.get_absolute_url(),
        call.network.get_absolute_url(),
    ]


def test_public_pages_are_served_from_the_cache_to_anonymous_visitors(client, omics_call):
    urls = [reverse("home"), *public_urls(omics_call)]
    for url in urls:
        cold, _ = database_queries(lambda url=url: client.get(url))
        warm, response = database_queries(lambda url=url: client.get(url))
        assert response.status_code == 200
        assert warm == 0 < cold


@committed
def test_a_change_to_a_call_shows_on_the_next_request_on_every_page_in_every_language(
    client, omics_call
):
    urls = public_urls(omics_call)
    for url in urls:
        for language in LANGUAGES:
            assert "Omics call, first title" in page(client, url, language)
    omics_call.title = "Omics call, second title"
    omics_call.save()
    # Committed, the change shows at once on every page, in every language.
    for url in urls:
        for language in LANGUAGES:
            content = page(client, url, language)
            assert "Omics call, second title" in content
            assert "Omics call, first title" not in content


@committed
def test_a_new_open_call_shows_in_the_home_pages_count_at_once(client):
    omics = Network.objects.get(slug="omics")
    for language in LANGUAGES:
        assert "1 open call" not in page(client, reverse("home"), language)
    CallFactory(network=omics)
    assert "1 open call" in page(client, reverse("home"))
    assert "1 appel ouvert" in page(client, reverse("home"), "fr")


@committed
def test_a_change_to_a_network_shows_on_the_next_request_on_every_page_in_every_language(
    client, omics_call
):
    urls = [reverse("home"), *public_urls(omics_call)]
    for url in urls:
        for language in LANGUAGES:
            page(client, url, language)
    network = omics_call.network
    network.name = "Renamed Network of Expertise"
    network.short_name = "Renamed omics"
    network.save()
    for language in LANGUAGES:
        assert "Renamed Network of Expertise" in page(client, urls[0], language)
        for url in urls[1:]:
            assert "Renamed omics" in page(client, url, language)


@committed
def test_a_membership_and_its_institution_show_on_the_network_page_in_every_language(
    client, omics_call
):
    url = omics_call.network.get_absolute_url()
    for language in LANGUAGES:
        assert "Hôpital des Tests" not in page(client, url, language)
    membership = MembershipFactory(
        network=omics_call.network, institution__name="Hôpital des Tests"
    )
    for language in LANGUAGES:
        assert "Hôpital des Tests" in page(client, url, language)
    membership.institution.name = "Hôpital renommé"
    membership.institution.save()
    for language in LANGUAGES:
        content = page(client, url, language)
        assert "Hôpital renommé" in content and "Hôpital des Tests" not in content
    membership.until = datetime.date(2026, 1, 1)
    membership.save()
    for language in LANGUAGES:
        assert "Hôpital renommé" not in page(client, url, language)


CLOSED_BADGE = 'text-bg-secondary">Closed<'


def test_a_call_that_closes_while_cached_shows_closed_at_its_deadline(client, monkeypatch):
    deadline = timezone.now() + datetime.timedelta(hours=1)
    call = CallFactory(network=Network.objects.get(slug="omics"), closes_at=deadline)
    urls = [reverse("home"), *public_urls(call)]
    for url in urls:
        assert CLOSED_BADGE not in page(client, url)
    assert "Apply to this call" in page(client, call.get_absolute_url())
    assert "1 open call" in page(client, reverse("home"))

    # The clock reaches the deadline; nothing in the database changes.
    monkeypatch.setattr(timezone, "now", lambda: deadline)
    content = page(client, call.get_absolute_url())
    assert CLOSED_BADGE in content and "Apply to this call" not in content
    assert CLOSED_BADGE in page(client, reverse("calls:list"))
    assert CLOSED_BADGE in page(client, call.network.get_absolute_url())
    assert "0 open calls" in page(client, reverse("home"))


def test_a_signed_in_person_is_never_served_the_anonymous_page_nor_caches_theirs(
    client, omics_call
):
    person = UserFactory()
    signed_in = Client()
    signed_in.force_login(person)
    for url in [reverse("home"), *public_urls(omics_call)]:
        # Their page first: it must not be stored for the anonymous visitor after them.
        assert "Sign out" in page(signed_in, url)
        anonymous = page(client, url)
        assert "Sign out" not in anonymous and "Sign in" in anonymous
        # The anonymous page now cached: the signed-in person still gets their own.
        assert "Sign out" in page(signed_in, url)
        assert "Sign out" not in page(Client(), url)


def test_two_anonymous_visitors_share_no_csrf_token():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token = TOKEN.search(page(first, reverse("home"))).group(1)
    queries, response = database_queries(lambda: second.get(reverse("home")))
    assert queries == 0  # served from the cache
    second_token = TOKEN.search(response.content.decode()).group(1)
    assert second_token != first_token
    assert "csrftoken" in response.cookies
    change = {"language": "fr", "next": "/"}
    # The second visitor's own token works for them; the first visitor's does not.
    refused = second.post(reverse("set_language"), {**change, "csrfmiddlewaretoken": first_token})
    assert refused.status_code == 403
    accepted = second.post(reverse("set_language"), {**change, "csrfmiddlewaretoken": second_token})
    assert accepted.status_code == 302


def test_an_anonymous_visitors_message_is_neither_cached_nor_lost(client):
    page(Client(), reverse("home"))  # the page is cached
    client.force_login(UserFactory())
    client.post(reverse("account_logout"))
    assert "You have signed out." in page(client, reverse("home"))
    assert "You have signed out." not in page(Client(), reverse("home"))
    assert "You have signed out." not in page(client, reverse("home"))


def test_public_pages_render_when_redis_is_unreachable(client, omics_call, settings):
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
    }
    for url in [reverse("home"), *public_urls(omics_call)]:
        assert "Omics" in page(client, url)
