import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def sign_up(client, email="nora@klinik.example"):
    return client.post(
        reverse("account_signup"),
        {
            "name": "Nora Berg",
            "email": email,
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
            "accept_privacy_notice": "on",
        },
    )


def test_sign_up_requires_the_email_to_be_verified_before_signing_in(client):
    sign_up(client)
    user = User.objects.get(email="nora@klinik.example")
    assert user.name == "Nora Berg"
    assert not EmailAddress.objects.get(user=user).verified
    client.logout()
    refused = client.post(
        reverse("account_login"),
        {"login": "nora@klinik.example", "password": "a long and unusual passphrase"},
    )
    assert refused.status_code == 302
    assert refused["Location"] == reverse("account_email_verification_sent")

    [message] = mail.outbox
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    confirmed = client.post("/" + path)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified


def test_sign_up_keeps_what_was_typed_and_explains_a_weak_password(client):
    response = client.post(
        reverse("account_signup"),
        {
            "name": "Nora Berg",
            "email": "nora@klinik.example",
            "password1": "1234",
            "password2": "1234",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This password is too short" in page
    assert 'value="nora@klinik.example"' in page
    assert 'value="Nora Berg"' in page


def test_two_factor_authentication_is_offered_to_everyone(client):
    user = User.objects.create_user("ines@centro.example", "a long and unusual passphrase")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    page = client.get(reverse("mfa_index")).content.decode()
    assert "Authenticator App" in page
    assert "Recovery Codes" in page or "recovery codes" in page.lower()


def test_password_reset_sends_a_link_to_a_known_address(client):
    user = User.objects.create_user("ines@centro.example", "a long and unusual passphrase")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(reverse("account_reset_password"), {"email": "ines@centro.example"})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
