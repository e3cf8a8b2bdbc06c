"""People in every role around the dashboards, and applications made in bulk for their figures."""

import datetime
import itertools

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from applications.enums import ApplicationStatus
from applications.models import Application, StatusChange
from calls.models import Criterion
from decisions.enums import LetterOutcome, LetterStatus
from decisions.models import Letter
from networks.models import Institution, Network
from reviews.enums import AssignmentStatus, Recommendation, ReviewStatus
from reviews.models import Assignment, Review, ReviewerProfile, Score
from tests.factories import (
    CallFactory,
    CriteriaSectionFactory,
    CriterionFactory,
    UserFactory,
    staff_with_mfa,
)

S = ApplicationStatus
PASSWORD = "a long and unusual observer passphrase"
# The people applicants name on their applications: nothing of them may reach a dashboard.
APPLICANT_PEOPLE = [
    ("Wilhelmina Quarterfield", "w.quarterfield@ospedale-esempio.it"),
    ("Bartholomew Oyelaran-Smythe", "bartholomew.os@klinikum-beispiel.de"),
]
# Every status in turn, so each figure has something to show.
STATUS_CYCLE = [
    S.DRAFT, S.SUBMITTED, S.ELIGIBLE, S.IN_REVIEW, S.ACCEPTED, S.REJECTED, S.WAITLISTED,
    S.REFERRED, S.INELIGIBLE, S.WITHDRAWN, S.IN_REVIEW, S.SUBMITTED,
]  # fmt: skip
COUNTRIES = ["IT", "DE", "ES", "FR", "PL", "NL", "BE", "PT", "GR", "SE", "UA", "NO"]
TYPES = ["hospital", "comprehensive_cancer_centre", "research_institute", "patient_organisation"]


def person(email: str, *, name: str = "", group: str | None = None, **flags):
    user = UserFactory(email=email, name=name or email.split("@")[0].title(), **flags)
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def observer(db):
    return person("observer@ec.example.eu", name="Olga Observer", group=roles.EC_OBSERVERS)


@pytest.fixture
def coordinator(db):
    user = staff_with_mfa(
        person("coordinator@example.org", group=roles.NETWORK_COORDINATORS, is_staff=True)
    )
    Network.objects.get(slug="palliative-care").coordinators.add(user)
    return user


@pytest.fixture
def administrator(db):
    return staff_with_mfa(person("admin@example.org", is_staff=True, is_superuser=True))


@pytest.fixture
def applicant(db):
    return person("applicant@example.org")


@pytest.fixture
def palliative_call(db):
    """A call of the palliative care network with two scored criteria."""
    call = CallFactory(
        network=Network.objects.get(slug="palliative-care"),
        title="Palliative care call 2026",
        slug="palliative-care-2026",
    )
    section = CriteriaSectionFactory(criteria_set=call.criteria_set)
    CriterionFactory(section=section, code="S.1", score_min=0, score_max=4, weight=1)
    CriterionFactory(section=section, code="S.2", score_min=1, score_max=5, weight=3)
    return call


def applications_bulk(call, count: int, *, start: int = 0) -> list[Application]:
    """`count` applications to `call` in every status, from institutions across Europe, with
    their history, reviewers' assignments, reviews and scores: a few dozen queries whatever
    the count (bulk_create sends no signal, so the dashboards' cache is cleared by the caller).
    """
    creator = UserFactory()
    institutions = Institution.objects.bulk_create(
        [
            Institution(
                name=f"Bulk institution {start + i}",
                country=COUNTRIES[i % len(COUNTRIES)],
                type=TYPES[i % len(TYPES)],
            )
            for i in range(count)
        ]
    )
    now = timezone.now()
    applications = Application.objects.bulk_create(
        [
            Application(
                call=call,
                institution=institution,
                tier_requested="full_member",
                created_by=creator,
                status=status,
                submitted_at=None if status == S.DRAFT else now - datetime.timedelta(days=i % 5),
            )
            for i, (institution, status) in enumerate(
                zip(institutions, itertools.cycle(STATUS_CYCLE), strict=False)
            )
        ]
    )
    changes = [
        StatusChange(
            application=application,
            from_status=S.DRAFT,
            to_status=S.SUBMITTED,
            at=now - datetime.timedelta(days=3),
        )
        for application in applications
        if application.status != S.DRAFT
    ]
    StatusChange.objects.bulk_create(changes)
    # Decided ones were decided after review, and their letters released: the dashboards count a
    # decision only once it is known.
    decisions = StatusChange.objects.bulk_create(
        [
            StatusChange(
                application=application,
                from_status=S.IN_REVIEW,
                to_status=application.status,
                at=now - datetime.timedelta(days=1),
            )
            for application in applications
            if application.status in LetterOutcome.values
        ]
    )
    Letter.objects.bulk_create(
        [
            Letter(
                application_id=decision.application_id,
                decision=decision,
                outcome=decision.to_status,
                subject="Decision",
                body="The decision.",
                status=LetterStatus.SENT,
                released_at=now,
            )
            for decision in decisions
        ]
    )
    reviewers = ReviewerProfile.objects.bulk_create(
        [
            ReviewerProfile(user=UserFactory(), country="FR", languages=["en"])
            for _ in range(min(5, count))
        ]
    )
    in_review = [a for a in applications if a.status == S.IN_REVIEW]
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                application=application,
                reviewer=reviewers[i % len(reviewers)],
                status=AssignmentStatus.ACCEPTED,
                source="router",
                no_conflict_declared_at=now,
                due_at=now + datetime.timedelta(days=10),
            )
            for i, application in enumerate(in_review)
        ]
    )
    reviews = Review.objects.bulk_create(
        [
            Review(
                assignment=assignment,
                status=ReviewStatus.SUBMITTED,
                recommendation=Recommendation.FAVOURABLE,
                submitted_at=now,
                score=100.0,  # every criterion at the top of its scale, as below
            )
            for assignment in assignments[::2]
        ]
    )
    criteria = list(Criterion.objects.filter(section__criteria_set=call.criteria_set))
    Score.objects.bulk_create(
        [
            Score(review=review, criterion=criterion, value=criterion.score_max)
            for review in reviews
            for criterion in criteria
        ]
    )
    return applications
