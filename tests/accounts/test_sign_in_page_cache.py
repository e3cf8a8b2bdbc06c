"""The sign-in page is served to visitors from the public pages' cache: with a CSRF token of
their own that signs them in, its `next` address kept, in their language, and never to someone
signed in or with a message waiting; a failed sign-in is answered afresh with its error."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.applications.conftest import person
from tests.calls.test_page_cache import TOKEN, database_queries

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # the factories' password


def test_the_sign_in_page_is_served_from_the_cache(client):
    url = reverse("account_login")
    client.get(url)
    queries, response = database_queries(lambda: client.get(url))
    assert response.status_code == 200
    assert queries == 0
    assert 'name="login"' in response.content.decode()


def test_each_visitor_served_from_the_cache_signs_in_with_their_own_token():
    user = person("nadia@hopital.example")
    url = reverse("account_login")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token = TOKEN.search(first.get(url).content.decode()).group(1)
    second_token = TOKEN.search(second.get(url).content.decode()).group(1)
    assert first_token != second_token
    response = second.post(
        url, {"login": user.email, "password": PASSWORD, "csrfmiddlewaretoken": second_token}
    )
    assert response.status_code == 302
    assert second.get(reverse("accounts:institutions")).status_code == 200


def test_the_next_address_and_the_language_are_those_asked(client):
    url = reverse("account_login")
    english = client.get(f"{url}?next=/reviews/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = client.get(f"{url}?next=/board/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    again = client.get(f"{url}?next=/reviews/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'value="/reviews/"' in english and '<html lang="en">' in english
    assert 'value="/board/"' in french and '<html lang="fr">' in french
    assert 'value="/reviews/"' in again and '<html lang="fr">' in again


def test_a_failed_sign_in_shows_its_error_and_the_next_visitor_a_clean_page(client):
    user = person("olga@szpital.example")
    url = reverse("account_login")
    client.get(url)
    failed = client.post(url, {"login": user.email, "password": "wrong"}).content.decode()
    assert user.email in failed  # what was typed is kept
    assert "not correct" in failed
    clean = Client().get(url).content.decode()
    assert user.email not in clean and "not correct" not in clean


def test_a_signed_in_person_is_sent_on_not_served_the_visitors_page(client):
    user = person("pia@sairaala.example")
    url = reverse("account_login")
    client.get(url)  # cached for visitors
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 302
    assert not re.search(TOKEN, response.content.decode())
