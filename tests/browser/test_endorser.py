"""A national endorser's side in a real browser: sign in and land on "My endorsements", see the
country's standing in the network and what each endorsement would mean, endorse one
application in the portal, decline another with a reason. Every page is checked against
WCAG 2.1 AA."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from applications.services.drafting import application_start
from applications.services.submission import application_submit
from calls.enums import EndorsementRoute
from endorsements.enums import EndorsementState
from endorsements.models import NationalEndorsement, NationalEndorser
from networks.enums import MembershipTier
from tests.applications.conftest import (
    applicant,  # noqa: F401
    call,  # noqa: F401
    complete,
    draft,  # noqa: F401
    institution,  # noqa: F401
    person,
)
from tests.factories import InstitutionFactory, MembershipFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a long and unusual endorser passphrase"
PASSWORD_LABEL = re.compile(r"^\s*Password\W*$")


def national_endorser(name: str, email: str, country: str) -> NationalEndorser:
    user = UserFactory(email=email, name=name, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return NationalEndorser.objects.create(
        user=user, country=country, authority="Ministero della Salute"
    )


def expect_message(page, text) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def test_endorser_endorses_one_application_and_declines_another(
    page,
    call,  # noqa: F811
    draft,  # noqa: F811
    applicant,  # noqa: F811
    assert_accessible,
):
    call.endorsement_route = EndorsementRoute.EITHER
    call.save()
    MembershipFactory(
        network=call.network,
        institution=InstitutionFactory(name="Istituto Nazionale Tumori", country="IT"),
        tier=MembershipTier.FULL_MEMBER,
    )
    complete(draft, applicant)
    application_submit(application=draft, user=applicant)
    milan = InstitutionFactory(name="Hospice di Milano", country="IT")
    milan_applicant = person("luca@milano.example", milan)
    partner = application_start(
        call=call, institution=milan, user=milan_applicant, tier_requested="affiliated_partner"
    )
    complete(partner, milan_applicant)
    application_submit(application=partner, user=milan_applicant)
    giulia = national_endorser("Giulia Bianchi", "giulia@salute.example", "IT")

    # 1. Sign in: the endorser lands on their endorsements, linked from the navigation.
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(giulia.user.email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My endorsements", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="My endorsements")).to_be_visible()
    expect(page.get_by_text("Italy has 1 endorsed institution in this network")).to_be_visible()
    torino = page.get_by_role("row").filter(has=page.get_by_role("link", name="Ospedale di Torino"))
    expect(torino).to_contain_text("Letter uploaded, not yet confirmed")
    expect(torino).to_contain_text("Would be a full member.")
    milano = page.get_by_role("row").filter(has=page.get_by_role("link", name="Hospice di Milano"))
    expect(milano).to_contain_text("Could not join as an affiliated partner")
    assert_accessible(page)

    # 2. Endorse the first in the portal, signing with a name and a role.
    torino.get_by_role("link", name="Ospedale di Torino").click()
    expect(page.get_by_role("heading", name="Ospedale di Torino", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Download the letter"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Endorse the application").check()
    expect(page.get_by_label("Name of the signatory")).to_have_value("Giulia Bianchi")
    page.get_by_label("Role of the signatory").fill("Director-General for Health")
    page.get_by_role("button", name="Record the decision").click()
    expect_message(page, "Your decision on Ospedale di Torino has been recorded.")
    expect(torino).to_contain_text("Endorsed in the portal")
    expect(page.get_by_text("Italy has 2 endorsed institutions in this network")).to_be_visible()

    # 3. Declining the second needs a reason: the form says so beside the field, and keeps
    # what was typed.
    milano.get_by_role("link", name="Hospice di Milano").click()
    page.get_by_label("Decline to endorse").check()
    page.get_by_label("Role of the signatory").fill("Director-General for Health")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Say why the endorsement is declined.")).to_be_visible()
    expect(page.get_by_label("Role of the signatory")).to_have_value("Director-General for Health")
    assert_accessible(page)
    page.get_by_label("Reason").fill("Italy already has a full member in this network.")
    page.get_by_role("button", name="Record the decision").click()
    expect_message(page, "Your decision on Hospice di Milano has been recorded.")
    expect(milano).to_contain_text("Endorsement declined")
    assert_accessible(page)

    states = dict(
        NationalEndorsement.objects.values_list("application__institution__name", "state")
    )
    assert states == {
        "Ospedale di Torino": EndorsementState.ENDORSED,
        "Hospice di Milano": EndorsementState.DECLINED,
    }
