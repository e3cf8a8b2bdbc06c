"""HTTPS and the headers every page carries: HSTS, the redirect to HTTPS, secure cookies and a
Permissions-Policy, on by default without DEBUG and each off by a setting where a TLS proxy does
it; no signed-in page is stored by a browser or a proxy; `check --deploy` passes with the
production settings."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, staff_with_mfa

pytestmark = pytest.mark.django_db

# The test environment's own overrides are left out: what production gets from the settings.
_TEST_ONLY = ("SECURE_", "TEST_", "PYTEST", "DJANGO_", "PROXY_", "PERMISSIONS_POLICY")
PRODUCTION_KEY = "check-deploy-only-9f8Kq2LmZx7Vb4NwTr1YhU6sJc3PeA0oGdQ5iRtE-not-for-use"


def production_env(**overrides) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_TEST_ONLY)}
    env.pop("SECURE_COOKIES", None)
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": PRODUCTION_KEY,
            "ALLOWED_HOSTS": "networks.jane.example.eu",
            "DJANGO_SETTINGS_MODULE": "jane_portal.settings",
            **overrides,
        }
    )
    return env


def settings_with(**env) -> dict:
    """The settings a fresh process makes from this environment."""
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "PERMISSIONS_POLICY",
        "SILENCED_SYSTEM_CHECKS",
    ]
    code = (
        "import json, jane_portal.settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=production_env(**env),
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def check_deploy(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(**env),
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_check_deploy_passes_with_the_production_settings():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_still_warns_when_https_is_off_and_no_proxy_is_said_to_do_it():
    result = check_deploy(SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout
    assert "security.W004" in result.stderr + result.stdout
    # Saying the proxy does both is what silences them.
    behind_proxy = check_deploy(
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        PROXY_REDIRECTS_TO_HTTPS="1",
        PROXY_SETS_HSTS="1",
    )
    assert behind_proxy.returncode == 0, behind_proxy.stdout + behind_proxy.stderr


def test_https_is_on_by_default_without_debug_and_each_part_can_be_turned_off():
    production = settings_with()
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SESSION_COOKIE_SECURE"] is production["CSRF_COOKIE_SECURE"] is True
    assert production["PERMISSIONS_POLICY"]["camera"] == []

    off = settings_with(
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SECURE_COOKIES="0",
        PERMISSIONS_POLICY_HEADER="0",
    )
    assert off["SECURE_SSL_REDIRECT"] is False
    assert off["SECURE_HSTS_SECONDS"] == 0
    assert off["SESSION_COOKIE_SECURE"] is False
    assert off["PERMISSIONS_POLICY"] == {}

    laptop = settings_with(DEBUG="1")
    assert laptop["SECURE_SSL_REDIRECT"] is False
    assert laptop["SECURE_HSTS_SECONDS"] == 0


def test_plain_http_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/calls/", HTTP_HOST="localhost")
    assert response.status_code == 301
    assert response["Location"] == "https://localhost/calls/"
    # Behind a TLS proxy that says so, the request is served.
    assert client.get("/calls/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


def test_https_responses_carry_hsts(client):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/")  # never over plain HTTP


def test_every_response_carries_the_permissions_policy(client):
    for response in [client.get("/"), client.get("/no-such-page/"), client.get("/admin/")]:
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def test_the_permissions_policy_can_be_left_to_a_proxy(settings):
    settings.PERMISSIONS_POLICY = {}
    assert "Permissions-Policy" not in Client().get("/")


@pytest.fixture
def signed_in_client(client):
    client.force_login(staff_with_mfa(UserFactory(is_staff=True, is_superuser=True)))
    return client


@pytest.mark.parametrize(
    "url",
    ["/", "/calls/", reverse("applications:mine"), reverse("admin:index"), "/no-such-page/"],
)
def test_signed_in_pages_are_never_stored(signed_in_client, url):
    response = signed_in_client.get(url)
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives, (url, response["Cache-Control"])


def test_anonymous_public_pages_keep_their_caching(client):
    response = client.get("/calls/")
    assert "no-store" not in response.get("Cache-Control", "")
