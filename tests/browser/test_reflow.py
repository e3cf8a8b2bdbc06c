"""Issue 13, reflow (WCAG 1.4.10): at a width of 320 CSS pixels no page scrolls sideways. A data
table too wide for the screen scrolls inside its own focusable, labelled region instead.

The portal is filled with the demo (a small scale), so every list has rows with real-length
names. For each role, one browser context signs in and opens a representative set of its pages,
the objects taken from the links on its lists. axe-core is not run here: the other browser tests
check these pages, at 390 and 1280 px.
"""

import datetime
import re
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.enums import InstitutionRole
from accounts.models import Affiliation
from applications.enums import DocumentPurpose
from applications.services.drafting import application_start, document_upload
from applications.services.submission import application_submit
from calls.enums import EndorsementRoute
from demo.builders.accounts import demo_accounts_ensure
from demo.seed import DEMO_PASSWORD, demo_data_seed
from privacy.models import PrivacyNotice
from privacy.services.notice import notice_accept, notice_current, notice_publish
from tests.applications.conftest import complete, open_call, pdf_upload
from tests.browser.test_coordinator import PASSWORD, sign_in
from tests.factories import AssignmentFactory, InstitutionFactory, staff_with_mfa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
PASSWORD_LABEL = re.compile(r"^\s*Password\W*$")

# What makes the page wider than the window, widest first, each named by a CSS path: the
# outermost elements that reach past the right edge (or start left of the left one) and are not
# inside a container that clips or scrolls them.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth <= width) return null;
  const name = element => {
    const parts = [];
    for (let node = element; node && node !== document.body; node = node.parentElement) {
      let part = node.localName;
      if (node.id) { parts.unshift(part + '#' + node.id); break; }
      const classes = [...node.classList].slice(0, 2);
      if (classes.length) part += '.' + classes.join('.');
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  const clipped = element => {
    for (let node = element.parentElement; node && node !== document.body;
         node = node.parentElement) {
      if (getComputedStyle(node).overflowX !== 'visible') return true;
    }
    return false;
  };
  const offending = [...document.body.querySelectorAll('*')].filter(element => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5) && !clipped(element);
  });
  const outermost = offending.filter(element => !offending.includes(element.parentElement));
  const widest = outermost
    .map(element => ({element: name(element),
                      right: Math.round(element.getBoundingClientRect().right)}))
    .sort((a, b) => b.right - a.right);
  return {scrollWidth, width, widest: widest.slice(0, 3)};
}"""

# What scrolls sideways inside the page but cannot be reached by the keyboard or has no name:
# a region a keyboard user could not scroll, or a screen reader user could not tell apart.
UNREACHABLE_SCROLLING = """() => [...document.body.querySelectorAll('*')]
  .filter(element => ['auto', 'scroll'].includes(getComputedStyle(element).overflowX)
    && element.scrollWidth > element.clientWidth + 1)
  .filter(element => element.tabIndex < 0 || element.getAttribute('role') !== 'region'
    || !(element.getAttribute('aria-label') || element.getAttribute('aria-labelledby')))
  .map(element => element.outerHTML.slice(0, 120))"""


@pytest.fixture
def demo_portal(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    today = datetime.datetime.now(zoneinfo.ZoneInfo(settings.DEFAULT_CALL_TIME_ZONE)).date()
    demo_data_seed(today=today, scale=0.05)
    demo_accounts_ensure(password=DEMO_PASSWORD)


def demo_person(local_part: str, *, second_factor: bool = False):
    """A demo account, signing in with the browser tests' password, who accepted the current
    privacy notice."""
    user = get_user_model().objects.get(email=f"{local_part}@demo.jane.eu")
    user.set_password(PASSWORD)
    user.save()
    notice_accept(user=user, notice=notice_current())
    return staff_with_mfa(user) if second_factor else user


def first_link(page, pattern: str) -> str:
    """The address of the first link in the page's main content whose address matches."""
    hrefs = page.locator("main a[href]").evaluate_all("links => links.map(a => a.pathname)")
    found = next((href for href in hrefs if re.fullmatch(pattern, href)), None)
    assert found, f"{page.url}: no link to {pattern} among {hrefs[:20]}"
    return found


def overflow_on(page, path: str | None = None):
    """What overflows sideways on the page (after opening `path`), or None."""
    if path is not None:
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
    overflow = page.evaluate(OVERFLOW)
    unreachable = page.evaluate(UNREACHABLE_SCROLLING)
    if overflow or unreachable:
        return {"page": overflow, "unreachable scrolling": unreachable}
    return None


def sign_in_on_a_phone(page, user, *, second_factor: bool = False) -> None:
    """Sign in as someone else (the menu is folded on a phone: sign in wide)."""
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    sign_in(page, user, second_factor=second_factor)
    page.set_viewport_size(PHONE)


class Walk:
    """The pages opened at 320 px and what overflowed on each."""

    def __init__(self, page):
        self.page = page
        self.seen: list[str] = []
        self.problems: dict[str, dict] = {}

    def visit(self, *paths: str | None) -> None:
        for path in paths:
            self.seen.append(path or self.page.url)
            if problem := overflow_on(self.page, path):
                self.problems[path or self.page.url] = problem


def _applicant_pages(walk: Walk) -> None:
    page = walk.page
    # A newer privacy notice was published since the applicant last signed in: it comes first.
    with transaction.atomic():
        notice_publish(
            notice=PrivacyNotice.objects.create(
                version=2, effective_on=timezone.localdate(), text=notice_current().text
            )
        )
    applicant = get_user_model().objects.get(email="applicant@demo.jane.eu")
    applicant.set_password(PASSWORD)
    applicant.save()
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(applicant.email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/accounts/privacy-notice/"))
    page.set_viewport_size(PHONE)
    walk.visit(None)
    page.get_by_label("I have read").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/privacy-notice/" not in url)

    drafts, submitted = applications_of(applicant)
    walk.visit("/applications/")
    walk.visit(submitted)  # the receipt's page: its submitted versions
    walk.visit(drafts)
    section = first_link(page, rf"{drafts}sections/\d+/")
    walk.visit(
        section,
        f"{drafts}documents/",
        f"{drafts}endorsement/",
        f"{drafts}declarations/",
        f"{drafts}submit/",
        "/institutions/",
        "/accounts/my-data/",
        "/accounts/erasure/",
    )


def applications_of(applicant) -> tuple[str, str]:
    """A draft and a submitted application of the applicant, a hospital with a long name; the
    draft holds a document whose long name has no spaces. The submitted one waits for Italy's
    endorsement in the portal and is assigned to the demo reviewer."""
    institution = InstitutionFactory(
        name="Azienda Ospedaliero-Universitaria Città della Salute e della Scienza di Torino",
        country="IT",
    )
    Affiliation.objects.create(
        user=applicant, institution=institution, role=InstitutionRole.REPRESENTATIVE
    )
    submitted = application_start(
        call=open_call(title="Palliative care call", endorsement_route=EndorsementRoute.EITHER),
        institution=institution,
        user=applicant,
        tier_requested="full_member",
    )
    complete(submitted, applicant)
    application_submit(application=submitted, user=applicant)
    # Italy's endorser endorses it in the portal; the demo reviewer reviews it.
    reviewer = demo_person("reviewer")
    AssignmentFactory(application=submitted, reviewer=reviewer.reviewer_profile)
    draft = application_start(
        call=open_call(title="Palliative care call, second round"),
        institution=institution,
        user=applicant,
        tier_requested="full_member",
    )
    complete(draft, applicant)
    document_upload(
        application=draft,
        user=applicant,
        uploaded=pdf_upload("Organisation_chart_of_the_palliative_care_unit_2026_final_v3.pdf"),
        purpose=DocumentPurpose.ANSWER,
        criterion=draft.call.criteria_set.sections.get(title="Resources").criteria.get(code="B.3"),
    )
    return draft.get_absolute_url(), submitted.get_absolute_url()


def test_no_page_scrolls_sideways_at_320_px(page, demo_portal):
    page.set_viewport_size(PHONE)
    walk = Walk(page)
    walk.visit("/")
    network = first_link(page, r"/networks/[^/]+/")
    walk.visit("/calls/")
    call = first_link(page, r"/calls/[^/]+-open/")
    walk.visit(network, call, "/accounts/login/", "/accounts/signup/")
    walk.visit("/privacy/", "/accessibility/")

    _applicant_pages(walk)

    sign_in_on_a_phone(page, demo_person("reviewer"))
    walk.visit("/reviews/")
    walk.visit(first_link(page, r"/reviews/[0-9a-f-]{36}/"))

    sign_in_on_a_phone(page, demo_person("endorser-it"))
    walk.visit("/endorsements/")
    walk.visit(first_link(page, r"/endorsements/[0-9a-f-]{36}/"))

    sign_in_on_a_phone(page, demo_person("board"))
    walk.visit("/board/")
    walk.visit(first_link(page, r"/board/calls/\d+/"))

    sign_in_on_a_phone(page, demo_person("observer"))
    walk.visit("/dashboards/")
    network_slug = network.strip("/").split("/")[-1]
    call_slug = call.strip("/").split("/")[-1]
    walk.visit(f"/dashboards/networks/{network_slug}/", f"/dashboards/calls/{call_slug}/")

    sign_in_on_a_phone(page, demo_person("coordinator", second_factor=True), second_factor=True)
    walk.visit("/admin/", "/admin/applications/application/")
    walk.visit(first_link(page, r"/admin/applications/application/\d+/change/"))
    walk.visit("/admin/calls/call/")
    walk.visit(first_link(page, r"/admin/calls/call/\d+/change/"))

    assert len(walk.seen) >= 30, walk.seen
    assert walk.problems == {}, "Pages wider than 320 px (path: widest elements): " + "; ".join(
        f"{path}: {problem}" for path, problem in walk.problems.items()
    )
