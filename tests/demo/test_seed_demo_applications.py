import datetime
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application, StatusChange, Submission
from applications.services.submission import content_checksum
from audit.selectors import audit_chain_verify
from calls.enums import CallStatus
from calls.models import Criterion
from calls.services import call_eligibility
from decisions.enums import DISCLOSED, LetterStatus, ProposalStatus
from decisions.models import Letter, Opinion, Proposal
from demo.seed import demo_data_seed
from networks.models import Membership, Network
from reviews.enums import AssignmentSource, AssignmentStatus, ReviewStatus
from reviews.models import Review
from reviews.scoring import summarise, weighted_score

S = ApplicationStatus
pytestmark = pytest.mark.django_db


def _fingerprint() -> list[tuple]:
    """What the demo applications are: enough to tell two seeds apart."""
    scores = {}
    for application_id, score in Review.objects.values_list(
        "assignment__application", "score"
    ).order_by("assignment__application", "score"):
        scores.setdefault(application_id, []).append(score)
    letters = dict(Letter.objects.values_list("application", "status"))
    return sorted(
        (call, institution, status, str(submitted_at), tuple(scores.get(pk, [])), letters.get(pk))
        for pk, call, institution, status, submitted_at in Application.objects.values_list(
            "pk", "call__slug", "institution__name", "status", "submitted_at"
        )
    )


@pytest.fixture(scope="module")
def seeded_twice(django_db_setup, django_db_blocker):
    """Seed twice from the same seed and instant, each in a transaction rolled back afterwards;
    the second one stays for the tests, with the first one's fingerprint."""
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate(now)
    with django_db_blocker.unblock():
        fingerprints = []
        for _ in range(2):
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                demo_data_seed(today=today, now=now)
                fingerprints.append(_fingerprint())
                if len(fingerprints) == 2:
                    yield {"fingerprint": fingerprints[0], "now": now}
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)


def test_seed_demo_applications_same_seed_same_applications(seeded_twice):
    fingerprint = _fingerprint()

    assert len(fingerprint) > 200
    assert fingerprint == seeded_twice["fingerprint"]


def test_seed_demo_applications_in_every_status(seeded_twice):
    statuses = Counter(Application.objects.values_list("status", flat=True))

    for status in (
        S.DRAFT,
        S.SUBMITTED,
        S.ELIGIBLE,
        S.IN_REVIEW,
        S.INELIGIBLE,
        S.ACCEPTED,
        S.REJECTED,
        S.WAITLISTED,
    ):
        assert statuses[status] >= 3, status
    assert 1 <= statuses[S.WITHDRAWN] <= 2 * Network.objects.count()
    decided = Application.objects.filter(status__in=[S.ACCEPTED, S.REJECTED, S.WAITLISTED])
    assert {application.call.status for application in decided} == {CallStatus.CLOSED}


def test_seed_demo_applications_respect_each_calls_eligibility(seeded_twice):
    applications = Application.objects.select_related("call", "institution")

    for application in applications:
        assert call_eligibility(call=application.call, institution=application.institution)
        assert application.tier_requested in application.call.tiers_offered
    # An acceptance makes a member once its letter is released, not before.
    for application in applications.filter(status=S.ACCEPTED):
        released = application.letters.filter(status__in=DISCLOSED).exists()
        assert (
            Membership.objects.current()
            .filter(network=application.call.network_id, institution=application.institution_id)
            .exists()
        ) is released


def test_seed_demo_has_proposals_waiting_for_the_board_with_opinions(seeded_twice):
    first = Network.objects.order_by("work_package__number").first()
    waiting = Proposal.objects.filter(status=ProposalStatus.PROPOSED)
    assert waiting.exists()
    assert {p.application.call.network_id for p in waiting} == {first.pk}
    assert Proposal.objects.filter(status=ProposalStatus.APPROVED).exists()
    assert Opinion.objects.filter(application__in=waiting.values("application")).exists()


def test_seed_demo_applications_submitted_with_their_content(seeded_twice):
    submitted = Application.objects.exclude(status=S.DRAFT).select_related("call")
    submissions = {s.application_id: s for s in Submission.objects.all()}

    assert set(submissions) == {application.pk for application in submitted}
    for application in submitted:
        submission = submissions[application.pk]
        assert submission.number == 1
        assert submission.checksum == content_checksum(submission.content)
        assert submission.content["answers"]
        assert submission.submitted_at == application.submitted_at
        assert application.call.opens_at <= application.submitted_at < application.call.deadline


def test_seed_demo_applications_history_spread_in_the_past(seeded_twice):
    now = seeded_twice["now"]
    times = {}
    for application_id, at in StatusChange.objects.order_by("application", "pk").values_list(
        "application", "at"
    ):
        times.setdefault(application_id, []).append(at)

    for application in Application.objects.all():
        history = times[application.pk]
        assert history == sorted(history)
        assert history[0] == application.created_at
        assert history[-1] < now
    submitted_days = {
        at.date() for at in Application.objects.values_list("submitted_at", flat=True) if at
    }
    assert len(submitted_days) > 60
    assert min(submitted_days) < (now - datetime.timedelta(days=200)).date()


def test_seed_demo_applications_reviews_scored_from_their_scores(seeded_twice):
    reviews = Review.objects.filter(status=ReviewStatus.SUBMITTED).select_related(
        "assignment__application__call"
    )
    criteria = {}
    for review in reviews.prefetch_related("scores"):
        assignment = review.assignment
        assert assignment.source == AssignmentSource.ROUTER
        assert assignment.status == AssignmentStatus.ACCEPTED
        assert assignment.no_conflict_declared_at is not None
        assert review.recommendation and review.submitted_at
        set_id = assignment.application.call.criteria_set_id
        if set_id not in criteria:
            criteria[set_id] = list(Criterion.objects.filter(section__criteria_set=set_id))
        values = {score.criterion_id: score.value for score in review.scores.all()}
        assert review.score == weighted_score(values, criteria[set_id])
    # Some applications split their reviewers.
    by_application = {}
    for review in reviews:
        by_application.setdefault(review.assignment.application, []).append(review.score)
    assert any(
        summarise(scores, threshold=application.call.disagreement_threshold).disagreement
        for application, scores in by_application.items()
    )


def test_seed_demo_applications_demo_applicant_has_a_draft_and_a_released_decision(seeded_twice):
    mine = Application.objects.filter(representative__email="applicant@demo.jane.eu")
    drafts = mine.filter(status=S.DRAFT)
    decided = mine.filter(status__in=[S.ACCEPTED, S.REJECTED, S.WAITLISTED])

    assert [draft.call.status for draft in drafts] == [CallStatus.OPEN]
    assert drafts.get().answers.exists()
    assert decided.count() == 1
    letter = decided.get().letters.get()
    assert letter.status in DISCLOSED
    assert letter.released_at is not None
    assert "applicant@demo.jane.eu" in letter.recipients
    assert "{" not in letter.body  # the end of the redress period is filled in


def test_seed_demo_applications_coordinators_network_has_work_waiting(seeded_twice):
    network = Network.objects.order_by("work_package__number").first()
    assert network.coordinators.filter(email="coordinator@demo.jane.eu").exists()
    calls = {call.status: call for call in network.calls.all()}
    in_review = calls[CallStatus.OPEN].applications.filter(status=S.IN_REVIEW)
    scored = Review.objects.filter(
        assignment__application__in=in_review, status=ReviewStatus.SUBMITTED, score__isnull=False
    )

    assert in_review.count() >= 4
    assert calls[CallStatus.OPEN].applications.filter(status=S.SUBMITTED).exists()
    assert scored.values("assignment__application").distinct().count() >= 3
    outbox = Letter.objects.filter(
        application__call=calls[CallStatus.CLOSED], status=LetterStatus.DRAFT
    )
    assert outbox.count() >= 5


def test_seed_demo_applications_other_networks_letters_sent(seeded_twice):
    first = Network.objects.order_by("work_package__number").first()
    letters = Letter.objects.exclude(application__call__network=first)

    assert letters.exists()
    assert set(letters.values_list("status", flat=True)) == {LetterStatus.SENT}
    for letter in letters.select_related("application"):
        assert letter.created_at < letter.released_at < letter.sent_at < seeded_twice["now"]


def test_seed_demo_applications_audit_chain_intact(seeded_twice):
    assert audit_chain_verify().problems == []
