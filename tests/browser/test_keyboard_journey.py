"""Issue 13, keyboard: an applicant goes from the sign-in page to the receipt with the keyboard
alone (WCAG 2.1.1, 2.1.2, 2.4.7). Only the sign-in page is opened by address; every other page
is reached by tabbing to a link or a button and pressing Enter, every field filled by typing,
Space and the arrow keys, the file chosen from the chooser that Space opens. Each control
reached shows where the focus is, and each page is checked against WCAG 2.1 AA.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from calls.enums import AnswerType, DocumentKind, EndorsementRoute
from tests.applications.conftest import pdf_bytes
from tests.browser.test_applicant_journey import (
    EMAIL,
    NAME,
    PASSWORD,
    PASSWORD_LABEL,
    create_applicant,
    expect_message,
)
from tests.factories import (
    CallFactory,
    CriteriaSectionFactory,
    CriterionFactory,
    InstitutionFactory,
    RequiredDocumentFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESCRIPTION = "A palliative care unit with a day hospice."
MOST_TABS = 80  # more than any page here has stops before its last control

# The focused control is marked: an outline or a shadow (Bootstrap's focus ring) is drawn.
FOCUS_SHOWN = """() => {
  const style = getComputedStyle(document.activeElement);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return outline || (style.boxShadow !== '' && style.boxShadow !== 'none');
}"""
FOCUSED = """() => {
  const element = document.activeElement;
  return element ? element.outerHTML.slice(0, 120) : null;
}"""


def keyboard_call():
    """An open call with two questions and one required document; endorsed in the portal, so
    the applicant uploads no letter."""
    call = CallFactory(
        title="Palliative care call 2026",
        opens_at=timezone.now() - datetime.timedelta(days=5),
        closes_at=timezone.now() + datetime.timedelta(days=20),
        admitted_country_groups=["eu"],
        admitted_institution_types=["hospital"],
        tiers_offered=["full_member", "affiliated_partner"],
        endorsement_route=EndorsementRoute.PORTAL,
    )
    activity = CriteriaSectionFactory(criteria_set=call.criteria_set, title="Activity", position=1)
    CriterionFactory(
        section=activity, code="A.1", title="Describe your service", word_limit=50, position=1
    )
    CriterionFactory(
        section=activity,
        code="A.2",
        title="Do you run a day hospice?",
        answer_type=AnswerType.YES_NO,
        word_limit=None,
        position=2,
    )
    RequiredDocumentFactory(
        call=call,
        kind=DocumentKind.SELF_ASSESSMENT,
        title="Self-assessment",
        allowed_formats=["pdf"],
        max_size_mb=1,
    )
    return call


def tab_to(page, target, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus, then check that the focus shows;
    fail after MOST_TABS presses, naming where the focus went."""
    key = "Shift+Tab" if backwards else "Tab"
    visited = []
    for _ in range(MOST_TABS):
        page.keyboard.press(key)
        if target.evaluate_all("elements => elements.includes(document.activeElement)"):
            break
        visited.append(page.evaluate(FOCUSED))
    else:
        raise AssertionError(
            f"{page.url}: {target} not reached in {MOST_TABS} presses of {key}; "
            f"the focus went to {visited[-5:]}"
        )
    try:
        page.wait_for_function(FOCUS_SHOWN, timeout=2_000)
    except Exception as error:
        raise AssertionError(f"{page.url}: no visible focus on {page.evaluate(FOCUSED)}") from error


def keyboard_file_chooser(page):
    """The file chooser of the focused file input, opened with Space (or, should Chromium not
    open it for that press on a loaded machine, with Enter: both activate a file input)."""
    for key in ("Space", "Enter"):
        try:
            with page.expect_file_chooser(timeout=7_500) as chooser:
                page.keyboard.press(key)
            return chooser.value
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"{page.url}: neither Space nor Enter opened the file chooser")


def follow(page, target) -> None:
    """Tab to a link or a button and press Enter; wait for the page it leads to."""
    tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_an_applicant_signs_in_applies_and_gets_the_receipt_with_the_keyboard_alone(
    page, tmp_path, assert_accessible
):
    create_applicant(InstitutionFactory(name="Ospedale di Torino", country="IT"))
    call = keyboard_call()
    self_assessment = tmp_path / "self-assessment.pdf"
    self_assessment.write_bytes(pdf_bytes())
    page.set_viewport_size({"width": 1280, "height": 900})

    # 1. Sign in.
    page.goto("/accounts/login/")
    assert_accessible(page)
    tab_to(page, page.get_by_label("Email"))
    page.keyboard.type(EMAIL)
    tab_to(page, page.get_by_label(PASSWORD_LABEL))
    page.keyboard.type(PASSWORD)
    follow(page, page.get_by_role("button", name="Sign in"))
    expect(page.get_by_text(f"Signed in as {NAME}", exact=True)).to_be_visible()

    # 2. Find the open call and start an application to it.
    navigation = page.get_by_role("navigation", name="Main navigation")
    follow(page, navigation.get_by_role("link", name="Calls", exact=True))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    follow(page, page.get_by_role("main").get_by_role("link", name=call.title))
    expect(page.get_by_role("heading", name=call.title, level=1)).to_be_visible()
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="Apply to this call"))
    expect(page.get_by_text("may apply")).to_be_visible()
    assert_accessible(page)
    institution = page.get_by_role("combobox", name="Institution")
    tab_to(page, institution)  # the only one, chosen already
    expect(institution).to_have_value(re.compile(r"\d+"))
    tab_to(page, page.get_by_label("Membership tier you apply for"))
    page.keyboard.type("Full")
    expect(page.get_by_label("Membership tier you apply for")).to_have_value("full_member")
    follow(page, page.get_by_role("button", name="Start the application"))
    expect_message(page, "Your draft application has been created.")
    assert_accessible(page)

    # 3. Answer the questions: type the description, choose "Yes" with Space.
    follow(page, page.get_by_role("link", name="Activity"))
    assert_accessible(page)
    tab_to(page, page.get_by_label("A.1 Describe your service"))
    page.keyboard.type(DESCRIPTION)
    tab_to(page, page.get_by_label("Yes", exact=True))
    page.keyboard.press("Space")
    expect(page.get_by_label("Yes", exact=True)).to_be_checked()
    # Back and forth within the group with the arrow keys, as a radio group answers them.
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("No", exact=True)).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_label("Yes", exact=True)).to_be_checked()
    follow(page, page.get_by_role("button", name="Save draft"))
    expect_message(page, re.compile(r"Draft saved\."))
    expect(page.get_by_label("A.1 Describe your service")).to_have_value(DESCRIPTION)
    follow(page, page.get_by_role("link", name="Back to the overview"))

    # 4. Upload the self-assessment: Space on the file input opens the chooser.
    follow(page, page.get_by_role("link", name="Documents"))
    assert_accessible(page)
    tab_to(page, page.get_by_label("File"))
    keyboard_file_chooser(page).set_files(self_assessment)
    follow(page, page.get_by_role("button", name="Upload"))
    expect_message(page, "“Self-assessment” uploaded.")
    expect(page.get_by_role("link", name="self-assessment.pdf")).to_be_visible()
    follow(page, page.get_by_role("link", name="Back to the overview"))

    # 5. Both declarations, each in its own form; the date is today's already.
    follow(page, page.get_by_role("link", name="Declarations"))
    assert_accessible(page)
    for heading, position in [
        ("Declaration of the director or CEO", "Director general"),
        ("Declaration of the representative", "Head of palliative care"),
    ]:
        declaration = page.get_by_role("region", name=heading)
        tab_to(page, declaration.get_by_label("Full name"))
        page.keyboard.type(NAME)
        tab_to(page, declaration.get_by_label("Position"))
        page.keyboard.type(position)
        tab_to(page, declaration.get_by_label("I confirm this declaration."))
        page.keyboard.press("Space")
        follow(page, declaration.get_by_role("button", name="Make the declaration"))
        expect_message(page, "The declaration has been recorded.")
        expect(page.get_by_role("region", name=heading)).to_contain_text(f"Made by {NAME}")
    assert_accessible(page)
    # The way back is behind the forms: Shift+Tab from the end of the page reaches it too.
    tab_to(page, page.get_by_role("link", name="Back to the overview"))
    page.keyboard.press("Tab")
    tab_to(page, page.get_by_role("link", name="Back to the overview"), backwards=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # 6. Review, submit, and download the receipt.
    expect(page.get_by_text("The application is complete and can be submitted.")).to_be_visible()
    follow(page, page.get_by_role("link", name="Review and submit"))
    assert_accessible(page)
    follow(page, page.get_by_role("button", name="Submit the application"))
    expect_message(page, "Your application has been submitted (version 1).")
    assert_accessible(page)
    receipt = page.get_by_role("link", name="Download the receipt of version 1 (PDF)")
    tab_to(page, receipt)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.path().read_bytes().startswith(b"%PDF")
