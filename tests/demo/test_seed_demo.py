import io
from collections import Counter, defaultdict

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from accounts import roles
from calls.enums import AnswerType, CallStatus
from calls.models import Call, CriteriaSection, CriteriaSet, Criterion, RequiredDocument
from demo.builders.criteria import ERN_STYLE_NAME
from demo.builders.institutions import institution_plans
from demo.seed import DEMO_PASSWORD, DEMO_SEED, networks_without_open_call
from networks.enums import MembershipTier
from networks.models import (
    Certification,
    Institution,
    Membership,
    Network,
    WorkPackage,
    ror_id_validator,
)

DEMO_EMAILS = [
    "applicant@demo.jane.eu",
    "reviewer@demo.jane.eu",
    "coordinator@demo.jane.eu",
    "observer@demo.jane.eu",
    "admin@demo.jane.eu",
]

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seed_output(django_db_setup, django_db_blocker):
    """Seed once for the module, in a transaction rolled back afterwards: seeding takes seconds."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            output = io.StringIO()
            call_command("seed_demo", stdout=output)
            yield output.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _counts() -> dict[str, int]:
    models = [
        Institution,
        Certification,
        Membership,
        CriteriaSet,
        CriteriaSection,
        Criterion,
        Call,
        RequiredDocument,
        get_user_model(),
        EmailAddress,
        Group,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_seed_demo_twice_keeps_counts_and_duplicates_nothing(seed_output):
    before = _counts()
    output = io.StringIO()
    call_command("seed_demo", stdout=output)

    assert _counts() == before
    assert "already present" in output.getvalue()
    duplicated_names = (
        Institution.objects.values("name").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    assert duplicated_names == 0
    assert EmailAddress.objects.filter(email__in=DEMO_EMAILS).count() == len(DEMO_EMAILS)


def test_seed_demo_prints_every_login(seed_output):
    assert DEMO_PASSWORD in seed_output
    for email in DEMO_EMAILS:
        assert email in seed_output


def test_institution_plans_same_seed_same_names(seed_output):
    first = [plan.name for plan in institution_plans(seed=DEMO_SEED)]
    second = [plan.name for plan in institution_plans(seed=DEMO_SEED)]
    other_seed = [plan.name for plan in institution_plans(seed=DEMO_SEED + 1)]

    assert first == second
    assert first != other_seed
    # The database holds exactly the planned names, besides the Joint Action's lead institutions.
    seeded_names = set(Institution.objects.values_list("name", flat=True))
    assert set(first) <= seeded_names
    lead_names = {
        name
        for pair in WorkPackage.objects.values_list(
            "lead_institution__name", "co_lead_institution__name"
        )
        for name in pair
        if name
    }
    assert seeded_names - set(first) == lead_names


def test_institution_plans_scale_multiplies_institutions():
    assert 280 <= len(institution_plans(seed=DEMO_SEED, scale=0.5)) <= 320
    assert 1150 <= len(institution_plans(seed=DEMO_SEED, scale=2.0)) <= 1250


def test_seed_demo_countries_heavy_tailed_towards_italy_germany_spain(seed_output):
    by_country = Counter(Institution.objects.values_list("country", flat=True))
    top_three = by_country.most_common(3)

    assert 29 <= len(by_country) <= 31
    assert {code for code, _count in top_three} == {"IT", "DE", "ES"}
    assert 0.44 <= sum(count for _code, count in top_three) / by_country.total() <= 0.52
    assert 550 <= by_country.total() <= 700


def test_seed_demo_institutions_are_valid(seed_output):
    ror_ids = list(Institution.objects.exclude(ror_id="").values_list("ror_id", flat=True))
    for ror_id in ror_ids:
        ror_id_validator(ror_id)

    assert len(ror_ids) == len(set(ror_ids)) > 50
    assert Institution.objects.filter(parent__isnull=False).exists()
    assert set(Certification.objects.values_list("body", flat=True)) >= {"oeci", "dkh", "eu_ccc"}
    assert Institution.objects.values("type").distinct().count() == 6


def test_seed_demo_every_network_has_30_to_70_current_members(seed_output):
    for network in Network.objects.all():
        members = Membership.objects.current().filter(network=network)
        assert 30 <= members.count() <= 70, network.slug
        tiers = Counter(members.values_list("tier", flat=True))
        assert tiers[MembershipTier.FULL_MEMBER] > members.count() / 2


def test_seed_demo_no_country_has_affiliated_partner_and_full_member(seed_output):
    tiers_by_country = defaultdict(set)
    for network_id, country, tier in Membership.objects.current().values_list(
        "network", "institution__country", "tier"
    ):
        tiers_by_country[network_id, country].add(tier)

    assert not [
        key
        for key, tiers in tiers_by_country.items()
        if {MembershipTier.FULL_MEMBER, MembershipTier.AFFILIATED_PARTNER} <= tiers
    ]
    assert Membership.objects.filter(tier=MembershipTier.AFFILIATED_PARTNER).current().exists()
    # The history of the rule: partners whose membership ended when a full member joined.
    assert Membership.objects.filter(until__isnull=False).exists()


def test_seed_demo_each_network_has_one_open_one_closed_one_upcoming_call(seed_output):
    for network in Network.objects.prefetch_related("calls__suspensions"):
        statuses = sorted(call.status for call in network.calls.all() if call.is_published)
        assert statuses == [CallStatus.CLOSED, CallStatus.OPEN, CallStatus.UPCOMING], network.slug

    assert networks_without_open_call() == []
    suspended = Call.objects.filter(suspensions__isnull=False).distinct()
    assert [call.status for call in suspended] == [CallStatus.CLOSED]
    assert not RequiredDocument.objects.values("call").annotate(n=Count("id")).filter(n__lt=4)


def test_seed_demo_every_account_can_log_in(seed_output):
    for email in DEMO_EMAILS:
        assert Client().login(email=email, password=DEMO_PASSWORD), email

    # Through allauth too, where an unverified email would stop the login.
    response = Client().post(
        reverse("account_login"), {"login": DEMO_EMAILS[0], "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("applications:mine")


def test_seed_demo_accounts_have_their_roles(seed_output):
    User = get_user_model()
    coordinator = User.objects.get(email="coordinator@demo.jane.eu")
    observer = User.objects.get(email="observer@demo.jane.eu")

    assert coordinator.coordinated_networks.exists()
    assert coordinator.is_staff
    assert coordinator.has_perm("calls.change_call")
    assert coordinator.has_perm("networks.view_institution")
    assert not coordinator.has_perm("networks.change_institution")
    assert Group.objects.get(name=roles.EC_OBSERVERS).permissions.count() == 0
    assert not observer.is_staff
    assert User.objects.get(email="admin@demo.jane.eu").is_superuser


def test_seed_demo_ern_style_set_uses_every_answer_type(seed_output):
    criteria = Criterion.objects.filter(section__criteria_set__name=ERN_STYLE_NAME)

    assert set(criteria.values_list("answer_type", flat=True)) == set(AnswerType.values)
    assert not criteria.filter(answer_type=AnswerType.TEXT, word_limit__isnull=True).exists()
    for criterion in criteria.filter(answer_type=AnswerType.CHOICE):
        assert len(criterion.choices) >= 2


def test_seed_demo_has_endorsers_with_applications_awaiting_them(seed_output):
    from endorsements.models import NationalEndorsement, NationalEndorser

    for email in ["endorser-it@demo.jane.eu", "endorser-it-2@demo.jane.eu"]:
        assert email in seed_output
    assert set(NationalEndorser.objects.values_list("country", flat=True)) >= {"IT", "DE", "ES"}
    assert NationalEndorsement.objects.filter(state="pending").exists()
    client = Client()
    response = client.post(
        reverse("account_login"),
        {"login": "endorser-it@demo.jane.eu", "password": DEMO_PASSWORD},
    )
    assert response.url == reverse("endorsements:list")
    page = client.get(response.url).content.decode()
    assert "Awaiting endorsement" in page
