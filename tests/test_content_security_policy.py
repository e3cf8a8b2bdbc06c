"""Issue 13, part 5: the Content Security Policy on every kind of response the portal sends, the
endpoint that logs what browsers report, and no inline script or style left in our templates.

Whether a page keeps to the policy in a real browser is checked by every browser test
(tests/browser/conftest.py fails a test on any violation) and by tests/browser/test_csp.py.
"""

import json
import logging
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

from accounts import roles
from tests.factories import UserFactory, staff_with_mfa

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'; "
    "report-uri /csp-report/"
)


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def assert_policy(response):
    assert "Content-Security-Policy" in response, response.status_code
    assert directives(response) == directives_of(POLICY)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def directives_of(policy: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


@pytest.fixture
def administrator():
    return staff_with_mfa(UserFactory(is_staff=True, is_superuser=True))


@pytest.fixture
def observer():
    user = UserFactory()
    user.groups.add(Group.objects.get(name=roles.EC_OBSERVERS))
    return user


def test_public_pages_carry_the_policy_rendered_and_from_the_cache():
    for _ in range(2):  # the second one comes from the public pages' cache
        response = Client().get(reverse("calls:list"))
        assert response.status_code == 200
        assert_policy(response)
    assert_policy(Client().get(reverse("home")))


def test_sign_in_and_signed_in_pages_carry_the_policy(client):
    assert_policy(client.get(reverse("account_login")))
    assert_policy(client.get(reverse("account_signup")))
    client.force_login(UserFactory())
    response = client.get(reverse("applications:mine"))
    assert response.status_code == 200
    assert_policy(response)


def test_admin_pages_carry_the_policy(client, administrator):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302  # to the portal's sign-in
    assert_policy(response)
    client.force_login(administrator)
    for url in (
        reverse("admin:index"),
        reverse("admin:calls_call_changelist"),
        reverse("admin:calls_call_add"),
        reverse("admin:applications_application_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_policy(response)


def test_downloads_and_static_files_carry_the_policy(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("dashboards:overview_csv", args=["funnel"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert_policy(response)

    response = Client().get(static("css/portal.css"))  # served by WhiteNoise
    assert response.status_code == 200
    assert_policy(response)


def test_error_pages_carry_the_policy(client, observer):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_policy(response)

    response = Client(HTTP_HOST="attacker.example").get("/")
    assert response.status_code == 400
    assert_policy(response)

    client.force_login(observer)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 403
    assert_policy(response)


def test_a_refused_form_gets_the_portals_page_with_the_policy():
    """Django's own page for a missing CSRF token has a <style> block the policy would refuse."""
    response = Client(enforce_csrf_checks=True).post(reverse("account_login"), {"login": "x"})
    assert response.status_code == 403
    assert_policy(response)
    body = response.content.decode()
    assert "Your form could not be sent" in body
    assert "<style" not in body and "style=" not in body


@pytest.mark.urls("tests.csp_urls")
def test_the_server_error_page_carries_the_policy():
    response = Client(raise_request_exception=False).get("/test-fails/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert_policy(response)


# The endpoint browsers report to.

REPORT = {
    "csp-report": {
        "document-uri": "https://portal.example.eu/calls/",
        "referrer": "",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": POLICY,
        "disposition": "enforce",
        "blocked-uri": "inline",
        "line-number": 12,
        "source-file": "https://portal.example.eu/calls/",
        "status-code": 200,
        "script-sample": "alert(document.cookie)",
    }
}


def test_a_report_is_logged_with_what_was_refused_and_where(client, caplog):
    with caplog.at_level(logging.WARNING, logger="jane_portal.csp"):
        response = client.post(
            reverse("csp_report"), json.dumps(REPORT), content_type="application/csp-report"
        )
    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "jane_portal.csp"]
    assert record.csp == {
        "document-uri": "https://portal.example.eu/calls/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
        "source-file": "https://portal.example.eu/calls/",
        "line-number": "12",
        "script-sample": "alert(document.cookie)",
        "disposition": "enforce",
    }


def test_a_reporting_api_report_is_logged_too(client, caplog):
    reports = [
        {
            "type": "csp-violation",
            "url": "https://portal.example.eu/",
            "body": {
                "documentURL": "https://portal.example.eu/",
                "effectiveDirective": "style-src-attr",
                "blockedURL": "inline",
                "disposition": "enforce",
            },
        },
        {"type": "deprecation", "body": {"id": "something"}},
    ]
    with caplog.at_level(logging.WARNING, logger="jane_portal.csp"):
        response = client.post(
            reverse("csp_report"), json.dumps(reports), content_type="application/reports+json"
        )
    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "jane_portal.csp"]
    assert record.csp["effective-directive"] == "style-src-attr"
    assert record.csp["document-uri"] == "https://portal.example.eu/"


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"\xff\xfe", b"[1, 2]", b'{"csp-report": "text"}', b"null", b'"text"'],
)
def test_a_body_that_is_not_a_report_is_refused_quietly(client, caplog, body):
    with caplog.at_level(logging.WARNING, logger="jane_portal.csp"):
        response = client.post(reverse("csp_report"), body, content_type="application/csp-report")
    assert response.status_code == 400
    assert [r for r in caplog.records if r.name == "jane_portal.csp"] == []


def test_what_is_logged_is_bounded(client, caplog):
    long = {"csp-report": {**REPORT["csp-report"], "script-sample": "x" * 20_000}}
    response = client.post(
        reverse("csp_report"), json.dumps(long), content_type="application/csp-report"
    )
    assert response.status_code == 413  # more than a browser ever sends
    huge_sample = {"csp-report": {**REPORT["csp-report"], "blocked-uri": "y" * 5_000}}
    with caplog.at_level(logging.WARNING, logger="jane_portal.csp"):
        response = client.post(
            reverse("csp_report"), json.dumps(huge_sample), content_type="application/csp-report"
        )
    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "jane_portal.csp"]
    assert len(record.csp["blocked-uri"]) == 300


def test_the_endpoint_takes_only_posts_and_touches_no_database(client, django_assert_num_queries):
    assert client.get(reverse("csp_report")).status_code == 405
    with django_assert_num_queries(0):
        response = client.post(
            reverse("csp_report"), json.dumps(REPORT), content_type="application/csp-report"
        )
    assert response.status_code == 204


def test_every_role_may_report(client, observer, administrator):
    """Browsers send the session cookie with a report: nobody's report is refused, not even the
    read-only observers' (whose other posts get 403)."""
    applicant = UserFactory()
    for person in (None, applicant, observer, administrator):
        if person:
            client.force_login(person)
        response = client.post(
            reverse("csp_report"), json.dumps(REPORT), content_type="application/csp-report"
        )
        assert response.status_code == 204, person
        client.logout()


# No template or script of ours relies on what the policy refuses.

EVENTS = (
    r"(?:click|dblclick|change|submit|reset|load|unload|input|focus|blur|error|select|toggle"
    r"|key\w+|mouse\w+|pointer\w+|touch\w+|drag\w*|drop|scroll|resize"
    r"|animation\w+|transition\w+)"
)
INLINE_HANDLER = re.compile(rf"\son{EVENTS}\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>")
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)
# In the HTML a Python module writes: an attribute with its quote.
QUOTED_STYLE_ATTRIBUTE = re.compile(r"""\sstyle=\\?["']""", re.IGNORECASE)
QUOTED_INLINE_HANDLER = re.compile(rf"""\son{EVENTS}=\\?["']""", re.IGNORECASE)
SKIPPED = {".venv", "node_modules", "staticfiles", "tests", "var", "locale", "bench", ".git"}


def our_files(*suffixes: str):
    for folder, subfolders, files in os.walk(settings.BASE_DIR):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED]
        for name in files:
            if name.endswith(suffixes):
                yield Path(folder) / name


def test_no_template_has_an_inline_script_handler_or_style():
    found = []
    for path in our_files(".html"):
        text = path.read_text()
        for pattern in (
            INLINE_HANDLER,
            STYLE_ATTRIBUTE,
            STYLE_ELEMENT,
            INLINE_SCRIPT,
            JAVASCRIPT_URL,
        ):
            found += [f"{path}: {match.group(0)}" for match in pattern.finditer(text)]
    assert found == []


def test_no_python_module_writes_a_style_attribute_or_inline_handler():
    found = []
    for path in our_files(".py"):
        text = path.read_text()
        for pattern in (QUOTED_STYLE_ATTRIBUTE, QUOTED_INLINE_HANDLER, STYLE_ELEMENT):
            found += [f"{path}: {match.group(0)}" for match in pattern.finditer(text)]
    assert found == []


def test_no_script_of_ours_writes_style_attributes_or_evaluates_strings():
    found = []
    for path in our_files(".js"):
        text = path.read_text()
        for pattern in (
            re.compile(r"setAttribute\(\s*[\"']style"),
            re.compile(r"\beval\("),
            re.compile(r"new Function\("),
            QUOTED_STYLE_ATTRIBUTE,
            QUOTED_INLINE_HANDLER,
        ):
            found += [f"{path}: {match.group(0)}" for match in pattern.finditer(text)]
    assert found == []
