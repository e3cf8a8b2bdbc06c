"""A signed-in session ends after an idle time and after an absolute lifetime, both shorter for
staff (accounts/session_limits.py). The passing of time is staged by moving the session's own
clocks back, as hours of inactivity would leave them."""

import time

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils.http import urlencode

from accounts.session_limits import ACTIVE_AT, SIGNED_IN_AT
from tests.factories import UserFactory, staff_with_mfa

pytestmark = [pytest.mark.django_db, pytest.mark.session_clocks]

PASSWORD = "a-long-test-password"  # UserFactory's
MINE = "/applications/"


def signed_in(client, **fields):
    user = UserFactory(**fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if user.is_staff:
        staff_with_mfa(user)
    client.force_login(user)
    return user


def move_clocks_back(client, *, signed_in_by=0.0, active_by=0.0):
    session = client.session
    session[SIGNED_IN_AT] -= signed_in_by
    session[ACTIVE_AT] -= active_by
    session.save()


def is_signed_out_to_the_sign_in_page(client, response, next_url=MINE) -> bool:
    login = f"{reverse('account_login')}?{urlencode({'next': next_url})}"
    return (
        response.status_code == 302
        and response["Location"] == login
        and ("_auth_user_id" not in client.session)
    )


def test_the_defaults_are_shorter_for_staff_and_no_cookie_lasts_two_weeks(settings):
    assert settings.SESSION_IDLE_TIMEOUT_STAFF < settings.SESSION_IDLE_TIMEOUT
    assert settings.SESSION_MAX_LIFETIME_STAFF < settings.SESSION_MAX_LIFETIME
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_MAX_LIFETIME <= 24 * 3600


def test_signing_in_starts_both_clocks(client):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    before = time.time()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    session = client.session
    assert before <= session[SIGNED_IN_AT] == session[ACTIVE_AT] <= time.time()
    # Not "remembered": the cookie ends with the browser.
    assert client.cookies["sessionid"]["max-age"] == ""
    client.logout()
    client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD, "remember": "on"}
    )
    # Remembered: at most the session's lifetime, not Django's two weeks.
    assert int(client.cookies["sessionid"]["max-age"]) == 12 * 3600


def test_a_person_idle_past_the_timeout_is_signed_out_and_told_why(client, settings):
    signed_in(client)
    assert client.get(MINE).status_code == 200
    move_clocks_back(
        client,
        signed_in_by=settings.SESSION_IDLE_TIMEOUT + 5,
        active_by=settings.SESSION_IDLE_TIMEOUT + 5,
    )
    response = client.get(MINE)
    assert is_signed_out_to_the_sign_in_page(client, response)
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 60 minutes without activity." in page


def test_activity_keeps_the_session_until_its_absolute_lifetime(client, settings):
    signed_in(client)
    move_clocks_back(client, signed_in_by=settings.SESSION_MAX_LIFETIME - 60, active_by=61)
    assert client.get(MINE).status_code == 200  # active a minute ago: still in, clock moved on
    assert time.time() - client.session[ACTIVE_AT] < 5
    move_clocks_back(client, signed_in_by=120)
    response = client.get(MINE)
    assert is_signed_out_to_the_sign_in_page(client, response)
    page = client.get(response["Location"]).content.decode()
    assert "a session lasts at most 12 hours" in page


def test_staff_are_signed_out_sooner(client, settings):
    idle = settings.SESSION_IDLE_TIMEOUT_STAFF + 60  # longer than staff's, shorter than others'
    signed_in(client)
    move_clocks_back(client, signed_in_by=idle, active_by=idle)
    assert client.get(MINE).status_code == 200

    signed_in(client, is_staff=True)
    move_clocks_back(client, signed_in_by=idle, active_by=idle)
    assert is_signed_out_to_the_sign_in_page(client, client.get(MINE))

    signed_in(client, is_staff=True, is_superuser=True)
    lifetime = settings.SESSION_MAX_LIFETIME_STAFF + 60
    move_clocks_back(client, signed_in_by=lifetime)
    assert is_signed_out_to_the_sign_in_page(
        client, client.get(reverse("admin:index")), next_url=reverse("admin:index")
    )


def test_the_last_activity_is_written_at_most_once_a_minute(client, settings):
    signed_in(client)
    client.get(MINE)
    first = client.session[ACTIVE_AT]
    client.get(MINE)
    assert client.session[ACTIVE_AT] == first  # no session write for this request
    move_clocks_back(client, active_by=settings.SESSION_ACTIVITY_RESOLUTION)
    client.get(MINE)
    assert client.session[ACTIVE_AT] > first - settings.SESSION_ACTIVITY_RESOLUTION


def test_a_session_from_before_the_limits_starts_its_clocks_instead_of_ending(client):
    signed_in(client)
    session = client.session
    del session[SIGNED_IN_AT], session[ACTIVE_AT]
    session.save()
    assert client.get(MINE).status_code == 200
    assert SIGNED_IN_AT in client.session


def test_a_form_sent_after_the_timeout_signs_out_without_a_500(client, settings):
    signed_in(client)
    move_clocks_back(client, signed_in_by=settings.SESSION_MAX_LIFETIME + 1)
    response = client.post(MINE, {"anything": "x"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session


def test_the_limits_are_settings(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 120
    signed_in(client)
    move_clocks_back(client, signed_in_by=130, active_by=130)
    response = client.get(MINE)
    assert is_signed_out_to_the_sign_in_page(client, response)
    assert "after 2 minutes without activity" in client.get(response["Location"]).content.decode()
