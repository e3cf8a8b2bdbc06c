"""Issue 11, layout: the staff navigation fits at 1280 px with a readable language select, and
pages do not scroll sideways on a 390 px phone. axe-core checks every page visited."""

import pytest
from django.contrib.auth.models import Group

from accounts import roles
from applications.enums import DocumentPurpose
from applications.services.drafting import application_start, document_upload
from networks.models import Network
from reviews.models import ReviewerProfile
from tests.applications.conftest import (
    applicant,  # noqa: F401
    call,  # noqa: F401
    complete,
    institution,  # noqa: F401
    pdf_upload,
)
from tests.browser.test_coordinator import person_who_signs_in, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OVERFLOWS_SIDEWAYS = "document.scrollingElement.scrollWidth > window.innerWidth"

# Every item of the navigation inside the navigation bar, none over another.
NAVIGATION_PROBLEMS = """() => {
  const bar = document.querySelector('#main-nav').closest('.container').getBoundingClientRect();
  const items = [...document.querySelectorAll('#main-nav .nav-item')]
    .map(item => [item.innerText.trim(), item.getBoundingClientRect()]);
  const problems = [];
  for (const [name, box] of items) {
    if (box.left < bar.left - 0.5 || box.right > bar.right + 0.5) problems.push('outside: ' + name);
  }
  items.forEach(([a, one], i) => items.slice(i + 1).forEach(([b, other]) => {
    const apart = one.right <= other.left + 0.5 || other.right <= one.left + 0.5
      || one.bottom <= other.top + 0.5 || other.bottom <= one.top + 0.5;
    if (!apart) problems.push('overlap: ' + a + ' / ' + b);
  }));
  return problems;
}"""

# The select is wide enough for the language it shows.
SELECT_SHOWS_ITS_TEXT = """() => {
  const select = document.querySelector('#language-select');
  const style = getComputedStyle(select);
  const context = document.createElement('canvas').getContext('2d');
  context.font = style.font;
  const text = select.options[select.selectedIndex].text.trim();
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {text, room, needed: context.measureText(text).width};
}"""


def staff_member_with_every_role():
    user = person_who_signs_in(
        "maria-theresia.oberhausen-lindqvist@coordination.example.eu",
        "Maria-Theresia Oberhausen-Lindqvist",
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    Network.objects.get(slug="omics").coordinators.add(user)
    ReviewerProfile.objects.create(user=user, country="SE", languages=["en"])
    return user


def test_the_staff_navigation_fits_at_1280_px_and_the_language_select_reads(
    page, assert_accessible
):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, staff_member_with_every_role())
    for path in ["/", "/calls/"]:
        page.goto(path)
        assert page.get_by_role("link", name="Administration").is_visible()
        assert page.get_by_role("link", name="My reviews").is_visible()
        assert page.get_by_role("link", name="Dashboards").is_visible()
        assert not page.evaluate(OVERFLOWS_SIDEWAYS)
        assert page.evaluate(NAVIGATION_PROBLEMS) == []
        select = page.evaluate(SELECT_SHOWS_ITS_TEXT)
        assert select["text"] == "English"
        assert select["room"] >= select["needed"], select
        assert_accessible(page)


def test_pages_do_not_scroll_sideways_on_a_390_px_phone(
    page,
    assert_accessible,
    call,  # noqa: F811
    institution,  # noqa: F811
    applicant,  # noqa: F811
):
    page.set_viewport_size({"width": 390, "height": 844})
    paths = ["/", "/calls/", call.network.get_absolute_url(), call.get_absolute_url()]
    for path in paths:
        page.goto(path)
        assert not page.evaluate(OVERFLOWS_SIDEWAYS), path
        assert_accessible(page)
    applicant.set_password("a long and unusual coordinator passphrase")
    applicant.save()
    draft = application_start(
        call=call, institution=institution, user=applicant, tier_requested="full_member"
    )
    complete(draft, applicant)
    document_upload(  # a long name without spaces, shown in the summary
        application=draft,
        user=applicant,
        uploaded=pdf_upload("Organisation_chart_of_the_palliative_care_unit_2026_final_v3.pdf"),
        purpose=DocumentPurpose.ANSWER,
        criterion=call.criteria_set.sections.get(title="Resources").criteria.get(code="B.3"),
    )
    page.set_viewport_size({"width": 1280, "height": 800})  # the menu is folded on a phone
    sign_in(page, applicant)
    page.set_viewport_size({"width": 390, "height": 844})
    for path in [
        draft.get_absolute_url(),
        f"{draft.get_absolute_url()}submit/",
        f"{draft.get_absolute_url()}documents/",
    ]:
        page.goto(path)
        assert not page.evaluate(OVERFLOWS_SIDEWAYS), path
        assert_accessible(page)
