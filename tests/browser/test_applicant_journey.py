"""An applicant's whole journey in a real browser, clicked and typed as a newcomer would: sign up
and confirm the email address, create the institution's profile, invite a colleague, apply to an
open call, answer every section, upload the documents, record the endorsement and declarations,
submit, and download the receipt. Every kind of page on the way is checked against WCAG 2.1 AA.

Two shorter tests: a section can be saved with JavaScript off, and with it on a draft saves
itself while the applicant types.
"""

import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.enums import InstitutionRole
from accounts.models import Affiliation
from applications.models import Answer

# The applicant tests' open call, with a criterion of every answer type: importing the fixture
# lets these tests ask for it by name (hence the noqa beside each `call` parameter).
from tests.applications.conftest import (
    call,  # noqa: F401
    pdf_bytes,
)
from tests.factories import InstitutionFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NAME = "Giulia Bianchi"
EMAIL = "giulia@ospedale-torino.example"
PASSWORD = "a long and unusual passphrase"
# "Password" but not "Password (again)": allauth's labels carry line breaks and an asterisk.
PASSWORD_LABEL = re.compile(r"^\s*Password\W*$")
ANSWERS_SAVED = re.compile(r"Draft saved\.")
DESCRIPTION = "A palliative care unit with a day hospice and a home care team."  # 13 words


def pdf_file(tmp_path, name: str):
    path = tmp_path / name
    path.write_bytes(pdf_bytes())
    return path


def link_in(message, live_server, path_pattern: str) -> str:
    """The link in an email, pointed at the live server whatever host the email names."""
    match = re.search(rf"https?://[^/\s]+(?P<path>{path_pattern})", message.body)
    assert match, message.body
    return live_server.url + match.group("path")


def expect_message(page, text: str | re.Pattern) -> None:
    """A flash message, which the portal shows in a status region."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def expect_signed_in(page) -> None:
    expect(page.get_by_text(f"Signed in as {NAME}", exact=True)).to_be_visible()


def create_applicant(institution) -> None:
    """Someone who signed up, confirmed the address and acts for the institution."""
    user = UserFactory(email=EMAIL, name=NAME, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    Affiliation.objects.create(
        user=user, institution=institution, role=InstitutionRole.REPRESENTATIVE
    )


def sign_in(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_signed_in(page)


def start_application(page, open_call, institution_name: str, check=None) -> None:
    """From the call's page, start a draft for the institution as a full member."""
    page.goto(open_call.get_absolute_url())
    page.get_by_role("link", name="Apply to this call").click()
    expect(page.get_by_role("listitem").filter(has_text=institution_name)).to_contain_text(
        "may apply"
    )
    if check:
        check(page)
    page.get_by_role("combobox", name="Institution").select_option(label=institution_name)
    page.get_by_label("Membership tier you apply for").select_option(label="Full member")
    page.get_by_role("button", name="Start the application").click()
    expect_message(page, "Your draft application has been created.")


def saved_description(open_call) -> str:
    return Answer.objects.get(
        criterion__section__criteria_set=open_call.criteria_set, criterion__code="A.1"
    ).value


def test_applicant_signs_up_applies_and_submits(
    page,
    live_server,
    call,  # noqa: F811
    tmp_path,
    assert_accessible,
):
    # 1. Sign up from the call's page, confirm the address from the email, and be signed in.
    page.goto(call.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Sign up").click()
    assert_accessible(page)
    page.get_by_label("Full name").fill(NAME)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("checkbox", name="I have read the privacy notice").check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Verify your email address")).to_be_visible()
    assert_accessible(page)
    [confirmation] = mail.outbox
    assert confirmation.to == [EMAIL]
    page.goto(link_in(confirmation, live_server, r"/accounts/confirm-email/[^/\s]+/"))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect_signed_in(page)

    # 2. Create the profile of an Italian hospital.
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="My institutions"
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name="Create an institution profile").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Ospedale San Giovanni Battista")
    page.get_by_label("Country").select_option(label="Italy")
    page.get_by_label("Type").select_option(label="Hospital")
    page.get_by_label("City").fill("Torino")
    page.get_by_role("button", name="Create the profile").click()
    expect_message(page, "You are its representative.")
    assert_accessible(page)

    # 3. Invite a colleague as a contributor: the email leaves once the request has committed.
    page.get_by_label("Email address").fill("marco@ospedale-torino.example")
    page.get_by_label("Role").select_option(label="Contributor")
    page.get_by_role("button", name="Send the invitation").click()
    expect_message(page, "An invitation was sent to marco@ospedale-torino.example.")
    [invitation] = mail.outbox[1:]
    assert invitation.to == ["marco@ospedale-torino.example"]
    assert "Ospedale San Giovanni Battista" in invitation.subject
    assert "as Contributor" in invitation.body
    link_in(invitation, live_server, r"/institutions/invitations/[0-9a-f-]{36}/")

    # 4. Apply to the call from its page; an Italian hospital may.
    start_application(page, call, "Ospedale San Giovanni Battista", check=assert_accessible)
    assert_accessible(page)
    overview = page.url

    # 5. Answer every section, and save each.
    page.get_by_role("link", name="Activity").click()
    assert_accessible(page)
    page.get_by_label("A.1 Describe your service").press_sequentially(DESCRIPTION)
    expect(page.get_by_text("13 / 50", exact=True)).to_be_visible()
    page.get_by_label("A.2 Patients a year").fill("420")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save draft").click()
    # Autosave may already have stored some answers (two seconds after a key), and the message
    # counts only the answers this press changed; what counts is that all three are kept.
    expect_message(page, ANSWERS_SAVED)
    expect(page.get_by_label("A.1 Describe your service")).to_have_value(DESCRIPTION)
    expect(page.get_by_label("A.2 Patients a year")).to_have_value("420")
    expect(page.get_by_label("Yes", exact=True)).to_be_checked()

    page.get_by_role("link", name="Next section").click()
    assert_accessible(page)
    page.get_by_label("Dedicated team").check()
    page.get_by_label("L2 – intermediate").check()
    page.get_by_label("B.3 Organisation chart").set_input_files(pdf_file(tmp_path, "chart.pdf"))
    page.get_by_role("button", name="Save draft").click()
    expect_message(page, ANSWERS_SAVED)
    expect(page.get_by_role("link", name="chart.pdf")).to_be_visible()
    expect(page.get_by_label("Dedicated team")).to_be_checked()
    expect(page.get_by_label("L2 – intermediate")).to_be_checked()

    # 6. The self-assessment.
    page.goto(overview)
    page.get_by_role("link", name="Documents").click()
    assert_accessible(page)
    page.get_by_label("File").set_input_files(pdf_file(tmp_path, "self-assessment.pdf"))
    page.get_by_role("button", name="Upload").click()
    expect_message(page, "“Self-assessment” uploaded.")
    expect(page.get_by_role("link", name="self-assessment.pdf")).to_be_visible()

    # 7. The national endorsement.
    page.goto(overview)
    page.get_by_role("link", name="National endorsement").click()
    assert_accessible(page)
    page.get_by_label("Issuing authority").fill("Ministero della Salute")
    page.get_by_label("Date of the letter").fill("2026-10-01")
    page.get_by_label("The letter (PDF)").set_input_files(pdf_file(tmp_path, "endorsement.pdf"))
    page.get_by_role("button", name="Save the endorsement").click()
    expect_message(page, "The national endorsement has been saved.")

    # 8. Both declarations, each in its own form.
    page.get_by_role("link", name="Declarations").click()
    assert_accessible(page)
    for heading, position in [
        ("Declaration of the director or CEO", "Director general"),
        ("Declaration of the representative", "Head of palliative care"),
    ]:
        declaration = page.get_by_role("region", name=heading)
        declaration.get_by_label("Full name").fill(NAME)
        declaration.get_by_label("Position").fill(position)
        declaration.get_by_label("Date").fill("2026-11-02")
        declaration.get_by_label("I confirm this declaration.").check()
        declaration.get_by_role("button", name="Make the declaration").click()
        expect_message(page, "The declaration has been recorded.")
        expect(page.get_by_role("region", name=heading)).to_contain_text(
            f"Made by {NAME}, {position}, on 2 November 2026."
        )

    # 9. Review and submit; the receipt comes by email and from the application's page.
    page.goto(overview)
    expect(page.get_by_text("The application is complete and can be submitted.")).to_be_visible()
    page.get_by_role("link", name="Review and submit").click()
    assert_accessible(page)
    mail.outbox.clear()
    page.get_by_role("button", name="Submit the application").click()
    expect_message(page, "Your application has been submitted (version 1).")
    assert_accessible(page)
    versions = page.get_by_role("region", name="Submitted versions").inner_text()
    checksum = re.search(r"SHA-256 ([0-9a-f]{64})", versions).group(1)
    [receipt] = mail.outbox
    assert receipt.to == [EMAIL]
    assert checksum in receipt.body
    [(_filename, attached, mimetype)] = receipt.attachments
    assert mimetype == "application/pdf"
    assert attached.startswith(b"%PDF")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the receipt of version 1 (PDF)").click()
    downloaded = download.value.path().read_bytes()
    assert downloaded.startswith(b"%PDF")
    text = "".join(pdf_page.extract_text() for pdf_page in PdfReader(io.BytesIO(downloaded)).pages)
    # A 64-character checksum may be wrapped across lines in the PDF.
    assert checksum in re.sub(r"\s", "", text)
    assert "Ospedale San Giovanni Battista" in text

    # 10. The applicant's list of applications shows it.
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="My applications"
    ).click()
    expect(page.get_by_role("link", name=call.title)).to_be_visible()
    assert_accessible(page)


def test_a_section_saves_without_javascript(browser, live_server, call):  # noqa: F811
    create_applicant(InstitutionFactory(name="Ospedale di Torino", country="IT"))
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page)
        start_application(page, call, "Ospedale di Torino")
        page.get_by_role("link", name="Activity").click()
        # No script ran: the word counter is missing.
        expect(page.get_by_text("/ 50")).to_have_count(0)
        page.get_by_label("A.1 Describe your service").fill(DESCRIPTION)
        page.get_by_label("A.2 Patients a year").fill("420")
        page.get_by_label("No", exact=True).check()
        page.get_by_role("button", name="Save draft").click()
        expect_message(page, "Draft saved.")
        page.reload()
        expect(page.get_by_label("A.1 Describe your service")).to_have_value(DESCRIPTION)
        expect(page.get_by_label("A.2 Patients a year")).to_have_value("420")
        expect(page.get_by_label("No", exact=True)).to_be_checked()
        assert saved_description(call) == DESCRIPTION
    finally:
        context.close()


def test_a_section_saves_itself_while_typing(page, call, assert_accessible):  # noqa: F811
    create_applicant(InstitutionFactory(name="Ospedale di Torino", country="IT"))
    sign_in(page)
    start_application(page, call, "Ospedale di Torino")
    page.get_by_role("link", name="Activity").click()
    page.get_by_label("A.1 Describe your service").press_sequentially(DESCRIPTION)
    # Saved two seconds after the last key, without pressing "Save draft".
    expect(page.locator("#autosave-status")).to_contain_text(
        "Draft saved automatically", timeout=10_000
    )
    assert_accessible(page)
    assert saved_description(call) == DESCRIPTION
    page.reload()
    expect(page.get_by_label("A.1 Describe your service")).to_have_value(DESCRIPTION)
