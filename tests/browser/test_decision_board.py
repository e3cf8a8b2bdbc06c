"""The decision board in a real browser: a board member approves one proposed decision and sends
another back; the applicants see nothing of either until the approved one's letter is released,
and then see it. Every page is checked against WCAG 2.1 AA."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from applications.enums import ApplicationStatus
from applications.services.submission import application_submit
from decisions.enums import ProposalStatus
from decisions.models import Proposal
from tests.applications.conftest import (
    applicant,  # noqa: F401
    call,  # noqa: F401
    complete,
    draft,  # noqa: F401
    institution,  # noqa: F401
    person,
)
from tests.decisions.conftest import board_member, coordinator_of, decide, letter_of
from tests.factories import InstitutionFactory
from workflow.decision import decision_release

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-test-password"  # the factories' password
PASSWORD_LABEL = re.compile(r"^\s*Password\W*$")


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_the_board_approves_one_and_sends_one_back_and_applicants_see_only_released_decisions(
    browser,
    live_server,
    page,
    call,  # noqa: F811
    draft,  # noqa: F811
    applicant,  # noqa: F811
    assert_accessible,
):
    coordinator = coordinator_of(call.network, "coordinator@network.example")
    complete(draft, applicant)
    application_submit(application=draft, user=applicant)
    decide(draft, coordinator, ApplicationStatus.ACCEPTED, "A strong palliative care service.")
    braga = InstitutionFactory(name="Hospital de Braga", country="PT")
    other_applicant = person("rui@braga.example", braga)
    other = draft.__class__.objects.create(
        call=call,
        institution=braga,
        tier_requested="full_member",
        created_by=other_applicant,
        representative=other_applicant,
    )
    from applications.services.transitions import application_started

    application_started(application=other, actor=other_applicant)
    complete(other, other_applicant)
    application_submit(application=other, user=other_applicant)
    decide(other, coordinator, ApplicationStatus.REJECTED, "Too few patients a year.")
    member = board_member()
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)

    sign_in(page, member.email)
    page.get_by_role("link", name="Decision board").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=call.title).click()
    expect(page.get_by_role("heading", name="Proposals waiting for the board")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Choose the proposal for Ospedale di Torino").check()
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Apply to the proposals ticked").click()
    expect(page.get_by_text("1 proposal approved.")).to_be_visible()
    page.get_by_label("Choose the proposal for Hospital de Braga").check()
    page.get_by_label("Send back to the coordinators").check()
    page.get_by_role("button", name="Apply to the proposals ticked").click()
    expect(page.get_by_text("Give the reason for sending the proposals back.")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Choose the proposal for Hospital de Braga")).to_be_checked()
    page.get_by_label(re.compile("^Reason")).fill("Compare it with the other Portuguese one.")
    page.get_by_role("button", name="Apply to the proposals ticked").click()
    expect(page.get_by_text("1 proposal sent back.")).to_be_visible()
    assert_accessible(page)
    assert Proposal.objects.get(application=draft).status == ProposalStatus.APPROVED
    assert Proposal.objects.get(application=other).status == ProposalStatus.SENT_BACK

    applicant_page = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    for who, application in [(applicant, draft), (other_applicant, other)]:
        sign_in(applicant_page, who.email)
        applicant_page.goto(application.get_absolute_url())
        assert_accessible(applicant_page)
        text = applicant_page.content()
        hidden_words = ("Accepted", "Rejected", "strong palliative", "Too few", "Portuguese")
        for hidden in hidden_words:
            assert hidden not in text, (who.email, hidden)
        applicant_page.get_by_role("button", name="Sign out").click()

    decision_release(letter=letter_of(draft), user=coordinator)
    sign_in(applicant_page, applicant.email)
    applicant_page.goto(draft.get_absolute_url())
    expect(applicant_page.get_by_text("Decision: Accepted")).to_be_visible()
    expect(applicant_page.get_by_text("A strong palliative care service.").first).to_be_visible()
    assert_accessible(applicant_page)
