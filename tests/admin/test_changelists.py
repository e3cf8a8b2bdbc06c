"""Every admin changelist loads, and its query count does not grow with its rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from calls.services import call_suspend, criteria_set_lock
from networks.models import Network, TaskForce
from tests.factories import (
    CallFactory,
    CriterionFactory,
    InstitutionFactory,
    MembershipFactory,
    RequiredDocumentFactory,
    UserFactory,
    WorkPackageFactory,
)

pytestmark = pytest.mark.django_db


def suspended_call():
    call = CallFactory()
    now = timezone.now()
    call_suspend(
        call=call,
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(days=1),
        reason="Pause",
    )


def certified_unit():
    unit = InstitutionFactory(parent=InstitutionFactory())
    unit.certifications.create(body="oeci", title="CCC", valid_from=datetime.date(2024, 1, 1))


def locked_criterion():
    criterion = CriterionFactory()
    criteria_set_lock(criteria_set=criterion.section.criteria_set)


# changelist URL name -> how to add one more row of it
CHANGELISTS = {
    "admin:accounts_user_changelist": UserFactory,
    "admin:networks_institution_changelist": certified_unit,
    "admin:networks_certification_changelist": certified_unit,
    "admin:networks_workpackage_changelist": lambda: WorkPackageFactory(
        lead_institution=InstitutionFactory(), co_lead_institution=InstitutionFactory()
    ),
    "admin:networks_taskforce_changelist": lambda: TaskForce.objects.create(
        title=f"Task force {TaskForce.objects.count()}", work_package=WorkPackageFactory()
    ),
    "admin:networks_network_changelist": lambda: MembershipFactory(
        network=Network.objects.order_by("?").first()
    ),
    "admin:networks_membership_changelist": MembershipFactory,
    "admin:calls_call_changelist": suspended_call,
    "admin:calls_criteriaset_changelist": locked_criterion,
    "admin:calls_criteriasection_changelist": locked_criterion,
    "admin:calls_criterion_changelist": locked_criterion,
    "admin:calls_suspensionperiod_changelist": suspended_call,
    "admin:calls_requireddocument_changelist": RequiredDocumentFactory,
}


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(("url_name", "add_row"), CHANGELISTS.items())
def test_admin_changelist_query_count_does_not_grow_with_rows(
    superuser_client, count_queries, url_name, add_row
):
    url = reverse(url_name)
    add_row()
    few, response = count_queries(lambda: superuser_client.get(url))
    assert response.status_code == 200
    for _ in range(8):
        add_row()
    many, response = count_queries(lambda: superuser_client.get(url))
    assert response.status_code == 200
    assert many == few


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_admin_changelist_search_and_filters_never_fail(superuser_client, url_name):
    url = reverse(url_name)
    response = superuser_client.get(url, {"q": "%' OR 1=1 --", "country_group": "nonsense"})
    assert response.status_code in (200, 302)
