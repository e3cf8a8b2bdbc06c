"""Issue 13, part 5: the Content Security Policy in a real browser.

Every browser test already fails on a violation (tests/browser/conftest.py). Here: a script and
a style injected into a page are refused, with and without JavaScript, and the browser's report
reaches the portal's log; and the admin pages (each model's list, add and change form, the
custom pages) and allauth's account pages keep to the policy, as the administrator sees them.
"""

import logging
import time

import pytest
from django.apps import apps
from django.urls import reverse

from calls.models import Call
from tests.admin.test_changelists import CHANGELISTS
from tests.browser import conftest as browser_conftest
from tests.browser.test_coordinator import person_who_signs_in, sign_in
from tests.factories import staff_with_mfa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

INJECTED = (
    "<script>document.documentElement.dataset.injected = 'ran';</script>"
    '<p id="injected" style="color: rgb(255, 0, 0)">Injected</p>'
)


def inject_into_the_home_page(page) -> None:
    """As a stored cross-site scripting flaw would: the page as served, with our markup added,
    under the headers it was served with."""

    def handle(route):
        if route.request.resource_type != "document":  # the violation reports end in / too
            route.continue_()
            return
        response = route.fetch()
        body = response.text().replace("</main>", INJECTED + "</main>")
        route.fulfill(response=response, body=body)

    page.route("**/", handle)


def wait_for(condition, *, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_an_injected_script_and_style_are_refused_and_reported(page, caplog):
    inject_into_the_home_page(page)
    with caplog.at_level(logging.WARNING, logger="jane_portal.csp"):
        page.goto("/")

        assert page.evaluate("document.documentElement.dataset.injected") is None
        assert (
            page.evaluate("getComputedStyle(document.getElementById('injected')).color")
            != "rgb(255, 0, 0)"
        )
        # The browser tells the page, and the test's watcher hears it.
        page.wait_for_function("true")
        wait_for(lambda: len(browser_conftest.CSP_VIOLATIONS) >= 2)
        seen = " ".join(browser_conftest.CSP_VIOLATIONS)
        assert "script-src-elem refused inline" in seen
        assert "style-src-attr refused inline" in seen

        # And it reports both to the portal, which logs them.
        def logged():
            return {
                record.csp.get("effective-directive")
                for record in caplog.records
                if record.name == "jane_portal.csp"
            }

        wait_for(lambda: {"script-src-elem", "style-src-attr"} <= logged())
    browser_conftest.CSP_VIOLATIONS.clear()  # the refusals this test caused on purpose


def test_without_javascript_an_injected_style_is_still_caught(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    inject_into_the_home_page(page)
    page.goto("/")
    page.get_by_text("Injected").wait_for()
    wait_for(lambda: any("style" in seen for seen in browser_conftest.CSP_VIOLATIONS))
    context.close()
    browser_conftest.CSP_VIOLATIONS.clear()


def model_of(changelist_url_name: str):
    app_label, model_name = changelist_url_name.removeprefix("admin:").split("_")[:2]
    return apps.get_model(app_label, model_name)


def test_the_administrators_admin_and_account_pages_keep_to_the_policy(page):
    administrator = staff_with_mfa(
        person_who_signs_in(
            "administrator@secretariat.example.eu", "Ada Administrator", is_staff=True
        )
    )
    administrator.is_superuser = True
    administrator.save()
    for add_row in set(CHANGELISTS.values()):
        add_row()
    sign_in(page, administrator, second_factor=True)

    addresses = [reverse("admin:index")]
    for url_name in CHANGELISTS:
        model = model_of(url_name)
        prefix = url_name.removesuffix("_changelist")
        addresses += [reverse(url_name), reverse(f"{prefix}_add")]
        first = model.objects.order_by("pk").first()
        if first is not None:
            addresses += [
                reverse(f"{prefix}_change", args=[first.pk]),
                reverse(f"{prefix}_history", args=[first.pk]),
            ]
    call = Call.objects.order_by("pk").first()
    addresses += [
        reverse("admin:calls_call_setup"),
        reverse("admin:calls_call_setup_change", args=[call.pk]),
        reverse("admin:applications_application_calls"),
        reverse("admin:applications_application_ranking", args=[call.pk]),
        reverse("admin:password_change"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("mfa_index"),
        reverse("mfa_view_recovery_codes"),
        reverse("dashboards:overview"),
    ]
    for address in addresses:
        response = page.goto(address)
        assert response.status < 500, address
        page.wait_for_load_state("load")
    # The autouse check in tests/browser/conftest.py fails the test on any violation.
