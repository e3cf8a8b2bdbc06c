"""In a real browser: the public pages come from the cache and their language switcher still
works (each visitor gets a CSRF token of their own in the cached page); "My applications"
comes a page at a time, its page links reachable and accessible (WCAG 2.1 AA)."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.enums import InstitutionRole
from tests.factories import ApplicationFactory, CallFactory, InstitutionFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a long and unusual applicant passphrase"
PASSWORD_LABEL = re.compile(r"^\s*Password\W*$")


def test_a_cached_public_page_switches_language_for_each_visitor(browser, live_server):
    CallFactory(title="Pancreatic cancer call")
    for _visitor in range(2):  # the second visitor is served the page the first one cached
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.goto("/calls/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Calls for expressions of interest"
        )
        page.get_by_label("Language").select_option("fr")
        page.get_by_role("button", name="Change").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        context.close()


def test_my_applications_come_a_page_at_a_time(page, settings, assert_accessible):
    settings.LIST_PAGE_SIZE = 10
    email = "anna@ospedale.example"
    user = UserFactory(email=email, name="Anna", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    call = CallFactory()
    for number in range(23):
        institution = InstitutionFactory(name=f"Hospital {number:02}", country="IT")
        user.affiliations.create(institution=institution, role=InstitutionRole.REPRESENTATIVE)
        ApplicationFactory(call=call, institution=institution)

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/applications/")
    pages = page.get_by_role("navigation", name="Pages of my applications")
    expect(pages).to_contain_text("1–10 of 23")
    expect(page.locator("article")).to_have_count(10)
    assert_accessible(page)
    pages.get_by_role("link", name="Next page").click()
    expect(pages.locator('[aria-current="page"]')).to_contain_text("2")
    pages.get_by_role("link", name="Page 3").click()
    expect(page.locator("article")).to_have_count(3)
    expect(page.get_by_text("Hospital 00", exact=False)).to_be_visible()
    assert_accessible(page)
