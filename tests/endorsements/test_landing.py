"""After signing in, a national endorser lands on their endorsements, linked from the
navigation; nobody else sees that link."""

import pytest
from django.urls import reverse

from tests.applications.conftest import person
from tests.endorsements.conftest import endorser

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # the factories' password


def sign_in(client, user, **extra):
    return client.post(
        reverse("account_login") + extra.get("query", ""),
        {"login": user.email, "password": PASSWORD, **extra.get("data", {})},
        follow=True,
    )


def test_an_endorser_lands_on_their_endorsements_linked_from_the_navigation(client):
    italian = endorser("salute@ministero.example")
    page = sign_in(client, italian.user)
    assert page.redirect_chain[-1][0] == reverse("endorsements:list")
    assert f'href="{reverse("endorsements:list")}"' in page.content.decode()


def test_the_next_address_still_wins_for_an_endorser(client):
    italian = endorser("salute@ministero.example")
    page = sign_in(client, italian.user, query="?next=/calls/", data={"next": "/calls/"})
    assert page.redirect_chain[-1][0] == "/calls/"


def test_others_and_former_endorsers_see_no_endorsements_link(client):
    former = endorser("former@ministero.example", active=False)
    for user in (person("someone@example.org"), former.user):
        page = sign_in(client, user)
        assert page.redirect_chain[-1][0] == reverse("applications:mine")
        assert f'href="{reverse("endorsements:list")}"' not in page.content.decode()
        client.logout()
