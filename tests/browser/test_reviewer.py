"""A reviewer's side in a real browser: sign in, find the assignment in "My reviews", declare no
conflict of interest and accept, read the application, score it and submit the review. And a
decline with a reason, after which routing asks the next reviewer in the pool.

The application is set up through the services, as the applicant would have left it: submitted,
and routed on commit by the task (run eagerly in the tests). Every reviewer page is checked
against WCAG 2.1 AA.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from applications.services.submission import application_submit
from calls.models import Criterion
from reviews.enums import AssignmentStatus, Recommendation, ReviewStatus
from reviews.models import Assignment, ReviewerProfile

# The applicant tests' open call and a draft to it: importing the fixtures lets these tests ask
# for them by name (hence the noqa beside each parameter).
from tests.applications.conftest import (
    applicant,  # noqa: F401
    call,  # noqa: F401
    complete,
    draft,  # noqa: F401
    institution,  # noqa: F401
)
from tests.factories import CriterionFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a long and unusual reviewer passphrase"
# "Password" alone: allauth's labels carry line breaks and an asterisk.
PASSWORD_LABEL = re.compile(r"^\s*Password\W*$")
NO_CONFLICT = "I declare that I have no conflict of interest with this applicant"
APPLICANT = "Ospedale di Torino"  # the applicant tests' institution
DESCRIPTION = "A palliative care unit with a day hospice"  # the start of its answer to A.1


def reviewer(name: str, email: str, *, networks=()) -> ReviewerProfile:
    """A reviewer who can sign in: a confirmed address and a password."""
    user = UserFactory(email=email, name=name, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    profile = ReviewerProfile.objects.create(user=user, country="FR", languages=["en"])
    profile.networks.set(networks)
    return profile


def scored_criteria(open_call) -> None:
    """Two scored criteria on their own scales; the applicant's questions carry no weight."""
    section = open_call.criteria_set.sections.first()
    Criterion.objects.filter(section__criteria_set=open_call.criteria_set).update(weight=0)
    for code, title, low, high, weight in [("S.1", "Volume", 0, 4, 1), ("S.2", "Quality", 1, 5, 3)]:
        CriterionFactory(
            section=section,
            code=code,
            title=title,
            score_min=low,
            score_max=high,
            weight=weight,
            required=False,
            position=10,
        )


def submit(application, user) -> None:
    """Complete and submit; the routing task runs when the submission commits."""
    complete(application, user)
    application_submit(application=application, user=user)


def expect_message(page, text: str | re.Pattern) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def sign_in(page, profile: ReviewerProfile) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(profile.user.email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {profile.user.name}", exact=True)).to_be_visible()


def open_my_reviews(page) -> None:
    # No navbar link to "My reviews" yet: the reviewer goes to the address.
    page.goto("/reviews/")
    expect(page.get_by_role("heading", name="My reviews", level=1)).to_be_visible()


def test_reviewer_declares_no_conflict_scores_and_submits(
    page,
    call,  # noqa: F811
    draft,  # noqa: F811
    applicant,  # noqa: F811
    assert_accessible,
):
    call.reviews_per_application = 1
    call.save()
    scored_criteria(call)
    ada = reviewer("Ada Lovelace", "ada@review.example")
    submit(draft, applicant)
    assignment = Assignment.objects.get(application=draft)
    assert assignment.reviewer == ada
    assert assignment.status == AssignmentStatus.PROPOSED

    # 1. Sign in and find the assignment in "My reviews".
    sign_in(page, ada)
    open_my_reviews(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=APPLICANT))
    expect(row).to_contain_text(call.title)
    expect(row).to_contain_text("Awaiting the reviewer's reply")
    assert_accessible(page)

    # 2. Before accepting, the application's answers and documents stay hidden.
    row.get_by_role("link", name=APPLICANT).click()
    expect(page.get_by_role("heading", name=APPLICANT, level=1)).to_be_visible()
    expect(page.get_by_text(DESCRIPTION)).to_have_count(0)
    expect(page.get_by_role("heading", name="The application")).to_have_count(0)
    expect(page.get_by_role("link", name="self-assessment.pdf")).to_have_count(0)
    assert_accessible(page)

    # 3. Declare no conflict of interest and accept.
    accept = page.get_by_role("region", name="Accept")
    accept.get_by_label(NO_CONFLICT).check()
    accept.get_by_role("button", name="Declare and accept").click()
    expect_message(page, "Thank you: the application is now open to you.")

    # 4. The answers and the documents are open now.
    application_region = page.get_by_role("region", name="The application")
    expect(application_region).to_contain_text(DESCRIPTION)
    expect(application_region).to_contain_text("A.2 Patients a year")
    document = application_region.get_by_role("link", name="self-assessment.pdf")
    expect(document).to_be_visible()
    downloaded = page.request.get(document.get_attribute("href"))
    assert downloaded.ok
    assert downloaded.body().startswith(b"%PDF")
    assert_accessible(page)

    # 5. Score every criterion, comment, recommend and submit.
    review = page.get_by_role("region", name="Your review")
    # A select per scored criterion, then the recommendation.
    expect(review.get_by_role("combobox")).to_have_count(3)
    review.get_by_label("S.1 Volume").select_option("3")
    review.get_by_label("S.2 Quality").select_option("4")
    review.get_by_label("Comments").fill("A strong home care team; the day hospice is small.")
    review.get_by_label("Overall recommendation").select_option(label="Favourable")
    review.get_by_role("button", name="Submit the review").click()
    expect_message(page, "Your review has been submitted.")
    expect(page.get_by_role("heading", name="Your review")).to_contain_text("Submitted")
    expect(page.get_by_role("button", name="Update the submitted review")).to_be_visible()
    expect(page.get_by_label("S.1 Volume")).to_have_value("3")
    assert_accessible(page)

    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACCEPTED
    assert assignment.no_conflict_declared_at is not None
    submitted = assignment.review
    assert submitted.status == ReviewStatus.SUBMITTED
    assert submitted.submitted_at is not None
    assert submitted.recommendation == Recommendation.FAVOURABLE
    assert submitted.comments == "A strong home care team; the day hospice is small."
    assert {s.criterion.code: s.value for s in submitted.scores.select_related("criterion")} == {
        "S.1": 3,
        "S.2": 4,
    }


def test_a_decline_leads_to_a_new_assignment(
    page,
    call,  # noqa: F811
    draft,  # noqa: F811
    applicant,  # noqa: F811
    assert_accessible,
):
    call.reviews_per_application = 1
    call.save()
    # The specialist in the call's network matches best, so is asked first.
    best = reviewer("Ben Specialist", "ben@review.example", networks=[call.network])
    other = reviewer("Clara Generalist", "clara@review.example")
    submit(draft, applicant)
    first = Assignment.objects.get(application=draft)
    assert first.reviewer == best

    # 1. The specialist declines, with a reason, through the form.
    sign_in(page, best)
    open_my_reviews(page)
    page.get_by_role("link", name=APPLICANT).click()
    decline = page.get_by_role("region", name="Decline")
    decline.get_by_label("Why do you decline?").fill("On leave until the spring.")
    decline.get_by_role("button", name="Decline").click()
    expect_message(page, "You declined; another reviewer will be asked instead.")
    expect(page.get_by_text("This assignment has ended.")).to_be_visible()
    assert_accessible(page)

    # 2. The application went to the other reviewer, once.
    first.refresh_from_db()
    assert first.status == AssignmentStatus.DECLINED
    assert first.decline_reason == "On leave until the spring."
    new = Assignment.objects.exclude(pk=first.pk).get(application=draft)
    assert new.reviewer == other
    assert new.status == AssignmentStatus.PROPOSED

    # 3. The other reviewer finds it in "My reviews".
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    sign_in(page, other)
    open_my_reviews(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=APPLICANT))
    expect(row).to_contain_text("Awaiting the reviewer's reply")
    assert_accessible(page)
    row.get_by_role("link", name=APPLICANT).click()
    expect(page).to_have_url(re.compile(rf"/reviews/{new.public_id}/$"))
