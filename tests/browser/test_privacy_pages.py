"""Issue 13, accessibility of the personal-data pages: the privacy notice, the page asking to
accept a newer one, "Download my data", the erasure request and the accessibility statement
with its feedback form, checked against WCAG 2.1 AA for an anonymous visitor (where the page
is public) and for a signed-in applicant. A feedback message sent with a mistake keeps what was
typed and says what is wrong beside the field; a good one is confirmed.
"""

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from accessibility.models import AccessibilityFeedback
from privacy.models import PrivacyNotice
from privacy.services.notice import notice_current, notice_publish
from tests.browser.test_applicant_journey import (
    EMAIL,
    PASSWORD,
    PASSWORD_LABEL,
    create_applicant,
    expect_message,
    expect_signed_in,
)
from tests.factories import InstitutionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROBLEM = "The table of deadlines cannot be read with a screen reader."


def send_feedback_with_a_mistake_then_correctly(page, assert_accessible) -> None:
    page.get_by_label("Your name (optional)").fill("Ilse Weber")
    page.get_by_label("Your email address").fill("ilse.weber-at-example.org")
    page.get_by_label("What is the problem, or what do you need?").fill(PROBLEM)
    page.get_by_role("button", name="Send to the secretariat").click()
    email = page.get_by_label("Your email address")
    # The error is beside the field, tied to it; what was typed is still there.
    field = page.locator("#div_id_email")
    expect(field).to_contain_text("Enter a valid email address.")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_value("ilse.weber-at-example.org")
    expect(page.get_by_label("Your name (optional)")).to_have_value("Ilse Weber")
    expect(page.get_by_label("What is the problem, or what do you need?")).to_have_value(PROBLEM)
    assert_accessible(page)
    assert not AccessibilityFeedback.objects.exists()

    email.fill("ilse.weber@example.org")
    page.get_by_role("button", name="Send to the secretariat").click()
    expect_message(page, "Thank you: your message was sent to the secretariat.")
    assert_accessible(page)
    assert AccessibilityFeedback.objects.get().email == "ilse.weber@example.org"


def test_the_public_privacy_and_accessibility_pages_are_accessible(page, assert_accessible):
    page.goto("/privacy/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Privacy notice")
    assert_accessible(page)
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", name="Accessibility statement", level=1)).to_be_visible()
    assert_accessible(page)
    send_feedback_with_a_mistake_then_correctly(page, assert_accessible)


def test_an_applicants_privacy_pages_are_accessible(page, assert_accessible):
    create_applicant(InstitutionFactory(name="Ospedale di Torino", country="IT"))
    # A newer notice was published since: signing in shows it first, to be accepted.
    with transaction.atomic():
        notice_publish(
            notice=PrivacyNotice.objects.create(
                version=2, effective_on=timezone.localdate(), text=notice_current().text
            )
        )
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Our privacy notice has changed")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("I have read this privacy notice").check()
    page.get_by_role("button", name="Continue").click()
    expect_signed_in(page)

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="My data"
    ).click()
    expect(page.get_by_role("heading", name="Download my data", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Ask for a copy of my data").click()
    # Built at once by the eager worker: the copy is listed, ready to download.
    expect(page.get_by_role("link", name="Download the archive")).to_be_visible()
    assert_accessible(page)

    # The language of the person's emails, chosen on their account pages.
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Language").click()
    expect(page.get_by_role("heading", name="Preferred language", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Preferred language").select_option("de")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your preferred language is saved.")).to_be_visible()
    expect(page.get_by_label("Preferred language")).to_have_value("de")
    assert_accessible(page)

    footer = page.get_by_role("contentinfo")
    footer.get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Privacy notice")
    assert_accessible(page)
    page.get_by_role("contentinfo").get_by_role("link", name="Erase my personal data").click()
    expect(page.get_by_role("heading", name="Erase my personal data", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", name="Accessibility statement", level=1)).to_be_visible()
    assert_accessible(page)
