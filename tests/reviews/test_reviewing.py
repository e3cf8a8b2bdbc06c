"""The reviewer's side through the browser's forms: declare, accept, score, submit, compare."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.services.submission import application_submit
from calls.models import Criterion
from reviews.enums import AssignmentStatus, ReviewStatus
from reviews.models import Assignment, ReviewerProfile
from reviews.scoring import summarise, weighted_score
from tests.applications.conftest import complete, person
from tests.factories import CriterionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(draft, applicant, call, django_capture_on_commit_callbacks):
    """A submitted application routed to two reviewers, with two scored criteria."""
    call.reviews_per_application = 2
    call.save()
    section = call.criteria_set.sections.first()
    CriterionFactory(
        section=section,
        code="S.1",
        title="Volume",
        score_min=0,
        score_max=4,
        weight=1,
        required=False,
    )
    CriterionFactory(
        section=section,
        code="S.2",
        title="Quality",
        score_min=1,
        score_max=5,
        weight=3,
        required=False,
    )
    # Only S.1 and S.2 are scored here; the applicant's other questions carry no weight.
    Criterion.objects.filter(section__criteria_set=call.criteria_set).exclude(
        code__startswith="S."
    ).update(weight=0)
    for name in ("ada", "ben"):
        ReviewerProfile.objects.create(
            user=person(f"{name}@review.example"), country="FR", languages=["en"]
        )
    complete(draft, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=draft, user=applicant)
    return draft


def assignment_of(application, email):
    return Assignment.objects.get(application=application, reviewer__user__email=email)


def accept(client, assignment):
    return client.post(assignment.get_absolute_url(), {"accept": "1", "no_conflict": "on"})


def score_fields(application, volume, quality):
    criteria = {
        c.code: c
        for c in application.call.criteria_set.sections.first().criteria.all()
        if c.code.startswith("S.")
    }
    return {
        "review": "1",
        f"criterion_{criteria['S.1'].pk}": volume,
        f"criterion_{criteria['S.2'].pk}": quality,
    }


def test_a_reviewer_sees_the_application_only_after_declaring_no_conflict(client, routed):
    assignment = assignment_of(routed, "ada@review.example")
    client.force_login(assignment.reviewer.user)
    page = client.get(assignment.get_absolute_url()).content.decode()
    assert "Describe your service" not in page  # the answers stay hidden
    document = routed.documents.first()
    assert client.get(document.get_absolute_url()).status_code == 404

    refused = client.post(assignment.get_absolute_url(), {"accept": "1"})
    assert refused.status_code == 400
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.PROPOSED

    assert accept(client, assignment).status_code == 302
    page = client.get(assignment.get_absolute_url()).content.decode()
    assert "A palliative care unit with a day hospice" in page
    assert client.get(document.get_absolute_url()).status_code == 200


def test_a_review_cannot_be_submitted_incomplete_and_keeps_what_was_typed(client, routed):
    assignment = assignment_of(routed, "ada@review.example")
    client.force_login(assignment.reviewer.user)
    accept(client, assignment)
    data = {
        **score_fields(routed, "3", ""),
        "comments": "Strong home care.",
        "recommendation": "",
        "submit": "1",
    }
    response = client.post(assignment.get_absolute_url(), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Score this criterion to submit the review." in page
    assert "Give your overall recommendation to submit the review." in page
    assert "Strong home care." in page


def test_a_forged_score_outside_the_scale_is_refused(client, routed):
    assignment = assignment_of(routed, "ada@review.example")
    client.force_login(assignment.reviewer.user)
    accept(client, assignment)
    response = client.post(
        assignment.get_absolute_url(), {**score_fields(routed, "9", "2"), "save": "1"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_other_reviews_stay_hidden_until_ones_own_is_submitted_and_never_name_anyone(
    client, routed
):
    ada, ben = (assignment_of(routed, f"{n}@review.example") for n in ("ada", "ben"))
    client.force_login(ben.reviewer.user)
    accept(client, ben)
    client.post(
        ben.get_absolute_url(),
        {
            **score_fields(routed, "4", "5"),
            "comments": "Ben's secret view",
            "recommendation": "favourable",
            "submit": "1",
        },
    )
    client.force_login(ada.reviewer.user)
    accept(client, ada)
    before = client.get(ada.get_absolute_url()).content.decode()
    assert "Ben&#x27;s secret view" not in before

    client.post(
        ada.get_absolute_url(),
        {
            **score_fields(routed, "0", "1"),
            "comments": "Weak.",
            "recommendation": "unfavourable",
            "submit": "1",
        },
    )
    after = client.get(ada.get_absolute_url()).content.decode()
    assert "Ben&#x27;s secret view" in after
    assert "ben@review.example" not in after
    assert "Reviewer 1" in after
    assert "The reviewers disagree strongly." in after  # 100 against 0


def test_a_review_can_be_edited_until_the_deadline_and_not_after(client, routed):
    assignment = assignment_of(routed, "ada@review.example")
    client.force_login(assignment.reviewer.user)
    accept(client, assignment)
    submitted = {
        **score_fields(routed, "2", "3"),
        "recommendation": "reservations",
        "submit": "1",
    }
    assert client.post(assignment.get_absolute_url(), submitted).status_code == 302
    assert (
        client.post(
            assignment.get_absolute_url(), {**submitted, "comments": "Second thoughts"}
        ).status_code
        == 302
    )
    review = Assignment.objects.get(pk=assignment.pk).review
    assert review.status == ReviewStatus.SUBMITTED
    assert review.comments == "Second thoughts"

    Assignment.objects.filter(pk=assignment.pk).update(
        due_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    late = client.post(assignment.get_absolute_url(), {**submitted, "comments": "Too late"})
    assert late.status_code == 400
    assert "deadline has passed" in late.content.decode()


def test_assignments_are_visible_only_to_their_reviewer(client, routed, applicant):
    ada, ben = (assignment_of(routed, f"{n}@review.example") for n in ("ada", "ben"))
    client.force_login(ben.reviewer.user)
    assert client.get(ada.get_absolute_url()).status_code == 404
    assert (
        client.post(ada.get_absolute_url(), {"accept": "1", "no_conflict": "on"}).status_code == 404
    )
    client.force_login(applicant)
    assert client.get(ada.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(ada.get_absolute_url()).status_code == 302


def test_applicants_never_see_who_reviews_them(client, routed, applicant):
    client.force_login(applicant)
    page = client.get(routed.get_absolute_url()).content.decode()
    assert "ada@review.example" not in page
    assert "Ada" not in page


def test_weighted_score_and_disagreement(routed):
    criteria = [c for c in routed.call.criteria_set.sections.first().criteria.all() if c.is_scored]
    by_code = {c.code: c for c in criteria}
    top = {by_code["S.1"].pk: 4, by_code["S.2"].pk: 5}
    middle = {by_code["S.1"].pk: 2, by_code["S.2"].pk: 3}
    scores = [
        weighted_score({**{c.pk: c.score_max for c in criteria}, **top}, criteria),
        weighted_score({**{c.pk: c.score_min for c in criteria}, **middle}, criteria),
    ]
    assert scores[0] == 100.0
    summary = summarise(scores, threshold=25)
    assert summary.spread == round(scores[0] - scores[1], 1)
    assert summary.disagreement is (summary.spread > 25)


def test_my_reviews_query_count_does_not_grow_with_assignments(
    client, routed, count_queries, call, institution, django_capture_on_commit_callbacks
):
    from applications.services.drafting import application_start
    from tests.factories import InstitutionFactory

    ada = ReviewerProfile.objects.get(user__email="ada@review.example")
    client.force_login(ada.user)
    url = reverse("reviews:assignments")
    few, _ = count_queries(lambda: client.get(url))
    for number in range(3):
        other = InstitutionFactory(name=f"Hospital {number}", country="IT")
        user = person(f"rep{number}@hospital.example", other)
        application = application_start(
            call=call, institution=other, user=user, tier_requested="full_member"
        )
        complete(application, user)
        with django_capture_on_commit_callbacks(execute=True):
            application_submit(application=application, user=user)
    assert ada.assignments.count() == 4
    many, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200
    assert many == few


def test_only_the_lead_reviewer_writes_the_consensus_note(client, routed):
    from reviews.models import ConsensusNote

    ada, ben = (assignment_of(routed, f"{n}@review.example") for n in ("ada", "ben"))
    submitted = {**score_fields(routed, "2", "3"), "recommendation": "favourable", "submit": "1"}
    for assignment in (ada, ben):  # Ada accepts first: she leads
        client.force_login(assignment.reviewer.user)
        accept(client, assignment)
        client.post(assignment.get_absolute_url(), submitted)

    client.force_login(ben.reviewer.user)
    refused = client.post(ben.get_absolute_url(), {"consensus": "1", "text": "Ben's summary"})
    assert refused.status_code == 400
    assert not ConsensusNote.objects.exists()

    client.force_login(ada.reviewer.user)
    page = client.get(ada.get_absolute_url()).content.decode()
    assert "Consensus note (lead reviewer)" in page
    client.post(ada.get_absolute_url(), {"consensus": "1", "text": "Both favourable."})
    assert ConsensusNote.objects.get(application=routed).text == "Both favourable."
