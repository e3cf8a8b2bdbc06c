"""factory_boy factories: plain, predictable objects; every test says what it cares about."""

import datetime

import factory
from django.utils import timezone

from calls.enums import AnswerType, DocumentKind
from calls.models import Call, CriteriaSection, CriteriaSet, Criterion, RequiredDocument
from networks.enums import InstitutionType, MembershipTier, WorkPackageKind
from networks.models import Institution, Membership, Network, WorkPackage


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.User"
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("a-long-test-password")


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Test Hospital {n}")
    country = "IT"
    type = InstitutionType.HOSPITAL
    city = "Milan"


class WorkPackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkPackage

    number = factory.Sequence(lambda n: 100 + n)
    title = factory.Sequence(lambda n: f"Test network work package {n}")
    kind = WorkPackageKind.NETWORK


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    work_package = factory.SubFactory(WorkPackageFactory)
    name = factory.Sequence(lambda n: f"Test Network of Expertise {n}")
    short_name = factory.Sequence(lambda n: f"Test network {n}")
    slug = factory.Sequence(lambda n: f"test-network-{n}")
    scope = "A network made for a test."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    institution = factory.SubFactory(InstitutionFactory)
    network = factory.SubFactory(NetworkFactory)
    tier = MembershipTier.FULL_MEMBER
    since = datetime.date(2025, 1, 1)


class CriteriaSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriteriaSet

    name = factory.Sequence(lambda n: f"Criteria {n}")


class CriteriaSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriteriaSection

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    title = factory.Sequence(lambda n: f"Section {n}")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    section = factory.SubFactory(CriteriaSectionFactory)
    code = factory.Sequence(lambda n: f"C.{n}")
    title = factory.Sequence(lambda n: f"Criterion {n}")
    answer_type = AnswerType.TEXT
    word_limit = 300


class CallFactory(factory.django.DjangoModelFactory):
    """A published call that opened a week ago and closes in three weeks."""

    class Meta:
        model = Call

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Call for expressions of interest {n}")
    slug = factory.Sequence(lambda n: f"call-{n}")
    summary = "Join the network."
    is_published = True
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=21))
    criteria_set = factory.SubFactory(CriteriaSetFactory)


class RequiredDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    call = factory.SubFactory(CallFactory)
    kind = DocumentKind.ENDORSEMENT_LETTER
    title = "National letter of endorsement"


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.Affiliation"

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = "contributor"


class InvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation, valid for another week."""

    class Meta:
        model = "accounts.Invitation"

    institution = factory.SubFactory(InstitutionFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = "contributor"
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.JoinRequest"

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)


def staff_with_mfa(user):
    """A staff user with an authenticator app: the admin opens only to such users."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application asking for full membership; give `status` to place it in its life."""

    class Meta:
        model = "applications.Application"

    call = factory.SubFactory(CallFactory)
    institution = factory.SubFactory(InstitutionFactory)
    tier_requested = MembershipTier.FULL_MEMBER
    created_by = factory.SubFactory(UserFactory)


class ReviewerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.ReviewerProfile"

    user = factory.SubFactory(UserFactory)
    country = "FR"


class AssignmentFactory(factory.django.DjangoModelFactory):
    """An assignment the reviewer accepted, having declared no conflict."""

    class Meta:
        model = "reviews.Assignment"

    application = factory.SubFactory(ApplicationFactory)
    reviewer = factory.SubFactory(ReviewerProfileFactory)
    source = "router"
    status = "accepted"
    no_conflict_declared_at = factory.LazyFunction(timezone.now)


def submitted_review(assignment, scores: dict, *, recommendation="favourable", comments=""):
    """A submitted review of an assignment with a score per criterion ({criterion: value}), and
    its weighted score kept as review_save keeps it."""
    from reviews.models import Review, Score
    from reviews.scoring import weighted_score

    review = Review.objects.create(
        assignment=assignment,
        status="submitted",
        submitted_at=timezone.now(),
        recommendation=recommendation,
        comments=comments,
        score=weighted_score({criterion.pk: value for criterion, value in scores.items()}, scores),
    )
    Score.objects.bulk_create(
        Score(review=review, criterion=criterion, value=value)
        for criterion, value in scores.items()
    )
    return review
