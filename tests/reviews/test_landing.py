"""After signing in, each person lands on their own work."""

import pytest
from django.urls import reverse

from reviews.models import ReviewerProfile
from tests.applications.conftest import person
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # the factories' password


def sign_in(client, user):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )


def test_a_reviewer_lands_on_their_reviews(client):
    reviewer = person("rev@review.example")
    ReviewerProfile.objects.create(user=reviewer, country="FR")
    page = sign_in(client, reviewer)
    assert page.redirect_chain[-1][0] == reverse("reviews:assignments")


def test_a_reviewer_who_also_applies_lands_on_their_applications(client):
    both = person("both@ospedale.example", InstitutionFactory())
    ReviewerProfile.objects.create(user=both, country="IT")
    page = sign_in(client, both)
    assert page.redirect_chain[-1][0] == reverse("applications:mine")


def test_the_next_address_still_wins(client):
    reviewer = person("next@review.example")
    ReviewerProfile.objects.create(user=reviewer, country="FR")
    page = client.post(
        reverse("account_login") + "?next=/calls/",
        {"login": reviewer.email, "password": PASSWORD, "next": "/calls/"},
        follow=True,
    )
    assert page.redirect_chain[-1][0] == "/calls/"
