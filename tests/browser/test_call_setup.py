"""A coordinator sets up a call on one page in a real browser, choosing countries by group
through the filter box, then previews the applicant's form; both pages pass axe-core."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts import roles
from calls.models import Call
from networks.models import Network
from tests.browser.test_coordinator import person_who_signs_in, sign_in
from tests.factories import staff_with_mfa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def coordinator(db):
    user = person_who_signs_in("chiara@jane.example", "Chiara Coordinator", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    Network.objects.get(slug="omics").coordinators.add(user)
    return staff_with_mfa(user)


def test_coordinator_sets_up_a_call_on_one_page_and_previews_its_form(
    page, coordinator, assert_accessible
):
    sign_in(page, coordinator, second_factor=True)
    page.goto("/admin/calls/call/")
    page.get_by_role("link", name="Set up a call on one page").click()
    expect(page.get_by_role("heading", name="Set up a call on one page")).to_be_visible()
    assert_accessible(page)

    page.locator("#id_network").select_option(label=str(Network.objects.get(slug="omics")))
    page.locator("#id_title").fill("Omics call 2027")
    page.locator("#id_slug").fill("omics-2027")
    page.locator("#id_summary").fill("Join the omics network.")
    page.locator("#id_opens_at_0").fill("2027-01-04")
    page.locator("#id_opens_at_1").fill("09:00")
    page.locator("#id_closes_at_0").fill("2027-03-31")
    page.locator("#id_closes_at_1").fill("23:59")

    # Countries: the whole EU group at once, then Norway found through the filter box.
    picker = page.locator("[data-country-picker]")
    picker.get_by_role("button", name="Choose all EU Member States").click()
    expect(picker.get_by_text("(27 of 27 chosen)")).to_be_visible()
    picker.get_by_label("Filter countries").fill("norw")
    expect(picker.get_by_role("status")).to_have_text(re.compile(r"Countries shown: 1 of \d+\."))
    expect(picker.get_by_label("France")).to_be_hidden()
    picker.get_by_label("Norway").check()
    assert_accessible(page)
    picker.get_by_label("Filter countries").fill("")
    expect(picker.get_by_label("France")).to_be_visible()

    # One section with one criterion, typed on the same page.
    page.locator("#id_sections-0-title").fill("Clinical activity")
    page.locator("#id_sections-0-criteria-0-code").fill("A.1")
    page.locator("#id_sections-0-criteria-0-title").fill("Describe your service")
    page.locator("#id_sections-0-criteria-0-guidance").fill("Volumes and pathways.")
    page.locator("#id_sections-0-criteria-0-answer_type").select_option("text")
    page.locator("#id_sections-0-criteria-0-word_limit").fill("300")
    # More rows than the page offered: a third criterion, and a third section with one.
    page.get_by_role("button", name="Add a criterion to this section").first.click()
    expect(page.locator("#id_sections-0-criteria-2-code")).to_be_focused()
    page.locator("#id_sections-0-criteria-2-code").fill("A.3")
    page.locator("#id_sections-0-criteria-2-title").fill("Do you run a day hospice?")
    page.locator("#id_sections-0-criteria-2-answer_type").select_option("yes_no")
    page.get_by_role("button", name="Add a section").click()
    expect(page.get_by_role("heading", name="Section 3 (new)")).to_be_visible()
    page.locator("#id_sections-2-title").fill("Resources")
    page.locator("#id_sections-2-position").fill("2")
    page.locator("#id_sections-2-criteria-0-code").fill("B.1")
    page.locator("#id_sections-2-criteria-0-title").fill("Maturity of the service")
    page.locator("#id_sections-2-criteria-0-answer_type").select_option("maturity")
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.get_by_text("and its criteria are saved")).to_be_visible()
    call = Call.objects.get(slug="omics-2027")
    assert len(call.admitted_countries) == 28
    sections = {s.title: s for s in call.criteria_set.sections.all()}
    assert set(sections) == {"Clinical activity", "Resources"}
    assert set(sections["Clinical activity"].criteria.values_list("code", flat=True)) == {
        "A.1",
        "A.3",
    }
    assert list(sections["Resources"].criteria.values_list("code", flat=True)) == ["B.1"]
    assert_accessible(page)
    # The call's regular page picks countries the same way, and passes too.
    page.goto(f"/admin/calls/call/{call.pk}/change/")
    expect(page.get_by_text("(27 of 27 chosen)")).to_be_visible()
    assert_accessible(page)
    page.go_back()

    # The preview shows it as an applicant will, though the call is neither open nor published.
    page.get_by_role("link", name="Preview the applicant's form").first.click()
    expect(page.get_by_text("Preview: nothing is saved")).to_be_visible()
    expect(page.get_by_label("A.1 Describe your service")).to_be_disabled()
    expect(page.get_by_text("Volumes and pathways.")).to_be_visible()
    assert_accessible(page)


def test_errors_on_the_one_page_set_up_are_beside_their_fields_and_accessible(
    page, coordinator, assert_accessible
):
    sign_in(page, coordinator, second_factor=True)
    page.goto("/admin/calls/call/set-up/")
    page.locator("#id_sections-0-criteria-0-code").fill("A.1")  # a criterion, no section title
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Please correct the errors below")).to_be_visible()
    expect(page.locator("#id_sections-0-criteria-0-code")).to_have_value("A.1")
    expect(page.locator(".field-title.errors").first).to_be_visible()
    assert_accessible(page)
