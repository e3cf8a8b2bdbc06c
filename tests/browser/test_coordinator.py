"""A coordinator's day in a real browser: sign in with the second factor, filter the submitted
applications, rule one ineligible with a reason, accept another, preview and release the decision
letters; then the applicant sees the decision.

The applications are set up through the services, as applicants would have left them. Every
admin page the coordinator passes through is checked against WCAG 2.1 AA.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

from accounts.enums import InstitutionRole
from accounts.models import Affiliation
from applications.enums import ApplicationStatus
from applications.models import Application
from applications.services.drafting import application_start
from applications.services.submission import application_submit
from decisions.models import Letter
from tests.accounts.test_admin_access import current_code
from tests.applications.conftest import (
    applicant,  # noqa: F401
    call,  # noqa: F401
    complete,
    draft,  # noqa: F401
    institution,  # noqa: F401
)
from tests.decisions.conftest import approve
from tests.factories import InstitutionFactory, UserFactory, staff_with_mfa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a long and unusual coordinator passphrase"
PASSWORD_LABEL = re.compile(r"^\s*Password\W*$")


def person_who_signs_in(email: str, name: str, **extra):
    user = UserFactory(email=email, name=name, password=PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def sign_in(page, user, *, second_factor: bool = False) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if second_factor:
        page.get_by_role("textbox", name="Code").fill(current_code(user))
        page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text(f"Signed in as {user.name}", exact=True)).to_be_visible()


def run_action(page, action_label: str, institution_name: str) -> None:
    row = page.get_by_role("row").filter(has_text=institution_name)
    row.get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label=action_label)
    page.get_by_role("button", name="Go").click()


def test_coordinator_rules_decides_and_releases_letters(
    page,
    browser,
    live_server,
    call,  # noqa: F811
    draft,  # noqa: F811
    applicant,  # noqa: F811
    assert_accessible,
):
    # Two applications: Torino's is checked and eligible; Lyon's is submitted and still waits
    # for the automatic check (left where a stopped worker would leave it).
    applicant.set_password(PASSWORD)
    applicant.save()
    complete(draft, applicant)
    application_submit(application=draft, user=applicant)
    lyon = InstitutionFactory(name="Centre Léon Bérard", country="FR", type="hospital")
    lyon_applicant = person_who_signs_in("marie@leon-berard.example", "Marie Curie")
    Affiliation.objects.create(
        user=lyon_applicant, institution=lyon, role=InstitutionRole.REPRESENTATIVE
    )
    lyon_draft = application_start(
        call=call, institution=lyon, user=lyon_applicant, tier_requested="full_member"
    )
    complete(lyon_draft, lyon_applicant)
    application_submit(application=lyon_draft, user=lyon_applicant)
    Application.objects.filter(pk=lyon_draft.pk).update(status=ApplicationStatus.SUBMITTED)

    coordinator = person_who_signs_in("chiara@jane.example", "Chiara Coordinator", is_staff=True)
    from django.contrib.auth.models import Group

    from accounts import roles

    coordinator.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    call.network.coordinators.add(coordinator)
    staff_with_mfa(coordinator)

    # 1. Sign in with the second factor and open the applications.
    sign_in(page, coordinator, second_factor=True)
    page.goto("/admin/applications/application/")
    expect(page.get_by_role("heading", name=re.compile("^Select application to"))).to_be_visible()
    assert_accessible(page)

    # 2. Filter the submitted ones: only Lyon's.
    page.get_by_role("link", name="Submitted", exact=True).click()
    expect(page.get_by_role("row").filter(has_text="Centre Léon Bérard")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Ospedale di Torino")).to_have_count(0)

    # 3. Mark it ineligible: a reason is asked for first.
    run_action(page, "Mark ineligible…", "Centre Léon Bérard")
    assert_accessible(page)
    page.get_by_label(re.compile("^Reason")).fill("The institution is not a cancer centre.")
    page.get_by_role("button", name="Mark ineligible").click()
    expect(page.get_by_text("1 application updated.")).to_be_visible()

    # 4. Accept Torino's, with a reason.
    page.goto("/admin/applications/application/?status__exact=eligible")
    run_action(page, "Propose to accept…", "Ospedale di Torino")
    page.get_by_label(re.compile("^Reason")).fill("Strong palliative care service.")
    page.get_by_role("button", name="Accept").click()
    # Before the reviews and the deadline: refused without an override and its reason.
    expect(page.get_by_text("Deciding now is premature: tick to decide anyway")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Decide anyway (the override is recorded)").check()
    page.get_by_label(re.compile("^Why decide before time")).fill("The board meets early.")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("1 application updated.")).to_be_visible()
    assert Application.objects.get(pk=draft.pk).status == ApplicationStatus.ACCEPTED

    # 5. The dossier page shows the decision in the audit trail.
    page.goto(f"/admin/applications/application/{draft.pk}/change/")
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    assert_accessible(page)

    # 6. The letter waits in the outbox: nothing is sent, and the applicant sees no decision yet.
    assert not [m for m in mail.outbox if "has been accepted" in m.body]
    page.goto("/admin/decisions/letter/")
    assert_accessible(page)
    page.get_by_role("row").filter(has_text="Ospedale di Torino").get_by_role("link").first.click()
    expect(page.get_by_text("as the applicant will read it")).to_be_visible()
    assert_accessible(page)
    body = page.get_by_label("Body")
    body.fill(body.input_value() + "\n\nWelcome to the palliative care network.")
    page.get_by_role("button", name="Save", exact=True).click()

    # 7. The decision board approves it (on its own pages, tests/browser/test_decision_board.py);
    # then the coordinator releases it from the list, after a confirmation that lists it.
    approve(Letter.objects.get(application=draft))
    run_action(
        page, "Release the letters (send them and show the decisions)…", "Ospedale di Torino"
    )
    expect(page.get_by_role("cell", name="Ospedale di Torino")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Release and send").click()
    expect(page.get_by_text("1 letter released; it is being sent.")).to_be_visible()
    [letter] = [m for m in mail.outbox if "Welcome to the palliative care network." in m.body]
    assert "anna@ospedale.example" in letter.to

    # 8. The applicant signs in and reads the decision and its letter.
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    applicant_page = context.new_page()
    applicant_page.set_default_timeout(15_000)
    applicant.name = applicant.name or "Anna"
    applicant.save()
    sign_in(applicant_page, applicant)
    applicant_page.goto(draft.get_absolute_url())
    expect(applicant_page.get_by_role("heading", name=re.compile("^Decision"))).to_contain_text(
        "Accepted"
    )
    expect(applicant_page.get_by_text("Welcome to the palliative care network.")).to_be_visible()
    assert_accessible(applicant_page)
    context.close()
