"""Account emails name the portal and its public host, never the address a request came to
(allauth names the site from the request's host; jane_portal/account_adapter.py)."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.accounts.test_sign_up_and_mfa import sign_up
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_sign_up_email_names_the_portal_and_its_public_host(client, settings):
    sign_up(client)
    [message] = mail.outbox
    assert message.body.startswith("Hello from JANE Networks Portal!")
    # The request came to "testserver" (the link follows it: behind nginx, the public host);
    # the greeting and the sign-off name the portal and SITE_URL's host.
    assert "Hello from testserver" not in message.body
    assert "Thank you for using JANE Networks Portal!\n127.0.0.1:8000" in message.body


def test_a_password_reset_email_follows_the_settings(client, settings):
    settings.SITE_NAME = "Portail JANE"
    settings.SITE_URL = "https://networks.jane.example.eu"
    user = UserFactory(email="ada@klinik.example")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(reverse("account_reset_password"), {"email": "ada@klinik.example"})
    [message] = mail.outbox
    assert message.body.startswith("Hello from Portail JANE!")
    assert "Thank you for using Portail JANE!\nnetworks.jane.example.eu" in message.body
    assert "127.0.0.1" not in message.body
