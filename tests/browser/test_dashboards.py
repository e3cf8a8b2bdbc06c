"""An EC observer in a real browser: sign in, open the Joint Action dashboard from the navigation,
read its figures, and find the page free of WCAG 2.1 AA violations. A screenshot of the overview
is saved under test-results/ (ignored by git) for people to look at."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from networks.models import Membership, Network
from tests.dashboards.conftest import PASSWORD, applications_bulk, person
from tests.factories import CallFactory, InstitutionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOT = Path(settings.BASE_DIR) / "test-results" / "dashboards-overview.png"
PASSWORD_LABEL = re.compile(r"^\s*Password\W*$")


def test_observer_opens_the_overview_and_it_is_accessible(page, assert_accessible):
    observer = person("observer@ec.example.eu", name="Olga Observer", group="EC observers")
    call = CallFactory(
        network=Network.objects.get(slug="palliative-care"), title="Palliative care call 2026"
    )
    applications_bulk(call, 36)
    Membership.objects.create(
        institution=InstitutionFactory(country="NO"),
        network=call.network,
        tier="full_member",
        since="2025-01-01",
    )

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(observer.email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Olga Observer", exact=True)).to_be_visible()

    page.get_by_role("link", name="Dashboards").click()
    expect(page.get_by_role("heading", name="Joint Action dashboard", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Map of Europe: applications by country")).to_be_visible()
    expect(page.get_by_role("heading", name="From draft to decision")).to_be_visible()
    summary = page.locator(".dashboard-summary")
    expect(summary).to_contain_text("36")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert_accessible(page)

    # The data behind the map, folded under the chart, opens from the keyboard.
    summary_toggle = page.get_by_text("Data: Applications by country")
    summary_toggle.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("table", name="Applications by country", exact=True)).to_be_visible()
    assert_accessible(page)

    # Choosing a network leads to its own dashboard.
    page.get_by_label("Network", exact=True).select_option(label=call.network.name)
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/dashboards/networks/palliative-care/$"))
    expect(page.get_by_role("heading", name="Country coverage of the network")).to_be_visible()
    assert_accessible(page)
