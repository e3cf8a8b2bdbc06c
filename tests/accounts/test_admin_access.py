"""The admin is entered through allauth's sign-in, and only by staff with two-factor sign-in."""

import time
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # UserFactory's


def staff_with_mfa(user):
    """Give the user an authenticator app, as allauth's activation page would; returns the user.

    Meant for tests/factories.py, where the admin tests' fixtures can use it in one line."""
    TOTP.activate(user, generate_totp_secret())
    return user


def verified_staff(*, mfa, superuser=False):
    user = UserFactory(is_staff=True, is_superuser=superuser)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if mfa:
        staff_with_mfa(user)
    return user


def login_url(next_url):
    return f"{reverse('account_login')}?{urlencode({'next': next_url})}"


CODE_MARGIN_SECONDS = 5


def current_code(user):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    secret = decrypt(Authenticator.objects.get(user=user, type="totp").data["secret"])
    # The server accepts only the current period's code: one taken in a period's last seconds
    # may reach it in the next (a browser sign-in on a loaded machine did), so a code is taken
    # only with a few seconds of its period left.
    period = mfa_settings.TOTP_PERIOD
    while period - time.time() % period < CODE_MARGIN_SECONDS:
        time.sleep(0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def test_anonymous_visitors_are_sent_to_allauths_sign_in_with_the_page_they_asked_for(client):
    asked = reverse("admin:calls_call_changelist")
    response = client.get(asked, follow=True)
    assert response.redirect_chain[-1] == (login_url(asked), 302)
    assert response.status_code == 200
    assert response.resolver_match.view_name == "account_login"

    assert client.get(reverse("admin:login"))["Location"] == login_url(reverse("admin:index"))


def test_the_admins_own_sign_in_form_signs_no_one_in(client):
    user = verified_staff(mfa=True, superuser=True)
    response = client.post(
        reverse("admin:login"), {"username": user.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"] == login_url("/admin/")
    assert "_auth_user_id" not in client.session


def test_an_offsite_next_is_not_followed(client):
    response = client.get(reverse("admin:login"), {"next": "https://evil.example/"})
    assert response["Location"] == login_url(reverse("admin:index"))


@pytest.mark.parametrize("superuser", [False, True], ids=["staff", "superuser"])
def test_staff_without_two_factor_authentication_are_sent_to_an_explanation(client, superuser):
    client.force_login(verified_staff(mfa=False, superuser=superuser))
    asked = reverse("admin:calls_call_changelist")
    response = client.get(asked, follow=True)

    explanation = f"{reverse('admin:mfa_required')}?{urlencode({'next': asked})}"
    assert response.redirect_chain[-1] == (explanation, 302)
    assert response.status_code == 200
    assert response.resolver_match.view_name == "admin:mfa_required"
    page = response.content.decode()
    assert "Two-factor authentication is required" in page
    assert f'href="{reverse("mfa_activate_totp")}"' in page
    assert f'href="{asked}"' in page
    # Nothing of the admin itself is shown.
    assert "JANE Networks Portal administration" not in page

    assert client.get(reverse("admin:index")).status_code == 302


def test_staff_with_two_factor_authentication_use_the_admin(client):
    client.force_login(verified_staff(mfa=True, superuser=True))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "JANE Networks Portal administration" in response.content.decode()
    # Once set up, the explanation page sends them on to where they were going.
    asked = reverse("admin:calls_call_changelist")
    assert client.get(reverse("admin:mfa_required"), {"next": asked})["Location"] == asked
    # And a sign-in through the admin's address just continues.
    assert client.get(reverse("admin:login"), {"next": asked})["Location"] == asked


def test_recovery_codes_alone_are_not_a_second_factor(client):
    from allauth.mfa.models import Authenticator

    user = verified_staff(mfa=False)
    Authenticator.objects.create(user=user, type="recovery_codes", data={"seed": "x"})
    client.force_login(user)
    assert client.get(reverse("admin:index"), follow=True).resolver_match.view_name == (
        "admin:mfa_required"
    )


def test_the_requirement_can_be_lifted_by_setting(client, settings):
    settings.ADMIN_REQUIRE_MFA = False
    client.force_login(verified_staff(mfa=False))
    assert client.get(reverse("admin:index")).status_code == 200


def test_signed_in_people_who_are_not_staff_are_refused_without_a_redirect_loop(client):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert client.get(reverse("admin:mfa_required")).status_code == 403


def test_the_explanation_page_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("admin:mfa_required"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_signing_in_for_the_admin_asks_for_the_authenticator_code_then_opens_it(client):
    user = verified_staff(mfa=True, superuser=True)
    asked = reverse("admin:calls_call_changelist")
    response = client.get(asked, follow=True)
    assert response.resolver_match.view_name == "account_login"

    response = client.post(login_url(asked), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(user)})
    assert response["Location"] == asked
    assert client.get(asked).status_code == 200


def test_signing_out_of_the_admin_goes_through_allauth(client):
    client.force_login(verified_staff(mfa=True))
    response = client.post(reverse("admin:logout"), follow=True)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    assert "You have signed out." in response.content.decode()


def test_changing_the_password_from_the_admin_goes_through_allauth(client):
    client.force_login(verified_staff(mfa=True))
    response = client.get(reverse("admin:password_change"))
    assert response["Location"] == reverse("account_change_password")


def test_repeated_wrong_passwords_are_rate_limited_even_before_the_right_one(client):
    user = verified_staff(mfa=True)
    url = login_url(reverse("admin:index"))
    for _attempt in range(5):
        response = client.post(url, {"login": user.email, "password": "not the password"})
        assert response.status_code == 200
        assert "Too many failed login attempts" not in response.content.decode()

    response = client.post(url, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "account_authentication_methods" not in client.session
