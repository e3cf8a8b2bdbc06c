"""Failed sign-ins are throttled per (account, address) and per address, never per account
alone: a stranger's tries from elsewhere cannot lock a person out (jane_portal/account_adapter.py).
The address is read behind TRUSTED_PROXY_COUNT proxies (accounts/client_address.py)."""

import pytest
from allauth.account.models import EmailAddress
from django.test import RequestFactory
from django.urls import reverse

from accounts.client_address import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # UserFactory's
REFUSED = "Too many failed login attempts. Try again later."
ATTACKER, VICTIM, PROXY = "203.0.113.9", "198.51.100.7", "10.0.0.2"


def person(email):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def attempt(client, email, password, **headers):
    response = client.post(
        reverse("account_login"), {"login": email, "password": password}, **headers
    )
    signed_in = "_auth_user_id" in client.session
    client.logout()
    return response, signed_in


def test_the_victim_of_50_bad_tries_from_another_address_can_still_sign_in(client):
    victim = person("coordinator@network.example")
    refused = 0
    for _try in range(50):
        response, signed_in = attempt(client, victim.email, "guess", REMOTE_ADDR=ATTACKER)
        assert not signed_in
        # Refused on the form, or past 30 sign-ins a minute from one address, with a 429.
        refused += response.status_code == 429 or REFUSED in response.content.decode()
    assert refused == 45  # the attacker's address is stopped after five tries

    # The attacker, even with the right password, stays stopped at their address.
    response, signed_in = attempt(client, victim.email, PASSWORD, REMOTE_ADDR=ATTACKER)
    assert not signed_in
    assert response.status_code == 429

    # The victim, from their own address, signs in at once.
    response, signed_in = attempt(client, victim.email, PASSWORD, REMOTE_ADDR=VICTIM)
    assert signed_in
    assert response.status_code == 302


def test_five_wrong_passwords_for_one_account_from_one_address_stop_that_pair(client):
    user = person("reviewer@review.example")
    for _try in range(5):
        response, _ = attempt(client, user.email, "guess", REMOTE_ADDR=ATTACKER)
        assert REFUSED not in response.content.decode()
    response, signed_in = attempt(client, user.email, PASSWORD, REMOTE_ADDR=ATTACKER)
    assert not signed_in
    assert REFUSED in response.content.decode()


def test_one_address_trying_many_accounts_is_stopped_after_ten_failures_a_minute(client):
    for number in range(10):
        response, _ = attempt(client, f"nobody{number}@example.org", "guess", REMOTE_ADDR=ATTACKER)
        assert REFUSED not in response.content.decode()
    someone = person("someone@example.org")
    response, signed_in = attempt(client, someone.email, PASSWORD, REMOTE_ADDR=ATTACKER)
    assert not signed_in
    assert REFUSED in response.content.decode()
    # Elsewhere, nobody notices.
    assert attempt(client, someone.email, PASSWORD, REMOTE_ADDR=VICTIM)[1]


def test_behind_a_trusted_proxy_each_client_has_its_own_limits(client, settings):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    victim = person("board@jane.example")
    for _try in range(20):
        # The attacker writes a fake address of their own in front; the proxy appends theirs.
        attempt(
            client,
            victim.email,
            "guess",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"{VICTIM}, {ATTACKER}",
        )
    response, signed_in = attempt(
        client, victim.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=VICTIM
    )
    assert signed_in, response.content.decode()


def test_without_a_trusted_proxy_the_header_is_not_believed(client, settings):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    user = person("observer@ec.example")
    for number in range(10):
        # Rotating a forged header would give a fresh allowance if it were believed.
        attempt(
            client,
            user.email,
            "guess",
            REMOTE_ADDR=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        )
    response, signed_in = attempt(
        client, user.email, PASSWORD, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.200"
    )
    assert not signed_in
    assert REFUSED in response.content.decode()


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "192.0.2.1", PROXY),
        (1, "", PROXY),
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "6.6.6.6, 192.0.2.1", "192.0.2.1"),
        (2, "6.6.6.6, 192.0.2.1, 10.0.0.1", "192.0.2.1"),
        (2, "192.0.2.1", "192.0.2.1"),  # came in past one of the proxies: its leftmost entry
        (1, "not an address", PROXY),
        (1, " , ", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_behind_the_trusted_proxies(
    settings, count, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, **headers)
    assert client_address(request) == expected


def test_a_malformed_forwarded_header_never_fails_the_sign_in_page(client, settings):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 3
    user = person("applicant@klinik.example")
    _response, signed_in = attempt(
        client, user.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="garbage,,"
    )
    assert signed_in
