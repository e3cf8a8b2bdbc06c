import datetime
import zoneinfo

import pytest
from django.urls import reverse

from calls.models import Call
from calls.services import criteria_set_lock
from networks.models import Membership, Network
from tests.factories import (
    CriteriaSetFactory,
    CriterionFactory,
    InstitutionFactory,
    MembershipFactory,
    UserFactory,
    staff_with_mfa,
)

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


@pytest.fixture
def admin_client(client):
    client.force_login(staff_with_mfa(UserFactory(is_staff=True, is_superuser=True)))
    return client


def call_form(criteria_set, **overrides):
    data = {
        "network": Network.objects.get(slug="omics").pk,
        "title": "Omics call 2027",
        "slug": "omics-2027",
        "summary": "Join the omics network.",
        "time_zone": "Europe/Brussels",
        "opens_at_0": "2027-01-04",
        "opens_at_1": "09:00",
        "closes_at_0": "2027-03-31",
        "closes_at_1": "23:59",
        "admitted_country_groups": ["eu", "eea"],
        "tiers_offered": ["full_member"],
        "criteria_set": criteria_set.pk,
        "reviews_per_application": "3",
        "review_days": "21",
        "disagreement_threshold": "25",
        "redress_days": "30",
        "endorsement_route": "upload",
        "suspensions-TOTAL_FORMS": "0",
        "suspensions-INITIAL_FORMS": "0",
        "required_documents-TOTAL_FORMS": "0",
        "required_documents-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_call_admin_reads_times_in_the_calls_own_time_zone(admin_client):
    response = admin_client.post(reverse("admin:calls_call_add"), call_form(CriteriaSetFactory()))
    assert response.status_code == 302, response.content.decode()[:2000]
    call = Call.objects.get(slug="omics-2027")
    # 23:59 on 31 March 2027 in Brussels is summer time, UTC+2.
    assert call.closes_at == datetime.datetime(2027, 3, 31, 21, 59, tzinfo=datetime.UTC)
    assert call.opens_at == datetime.datetime(2027, 1, 4, 9, 0, tzinfo=BRUSSELS)

    page = admin_client.get(reverse("admin:calls_call_change", args=[call.pk])).content.decode()
    assert 'value="23:59:00"' in page
    assert "Times in Europe/Brussels" in page


def test_call_admin_reads_times_in_a_time_zone_chosen_on_the_same_form(admin_client):
    response = admin_client.post(
        reverse("admin:calls_call_add"),
        call_form(CriteriaSetFactory(), time_zone="Europe/Lisbon"),
    )
    assert response.status_code == 302
    call = Call.objects.get(slug="omics-2027")
    assert call.closes_at == datetime.datetime(2027, 3, 31, 22, 59, tzinfo=datetime.UTC)


def test_call_admin_refuses_a_time_that_a_daylight_saving_change_skips(admin_client):
    # Clocks in Brussels jump from 02:00 to 03:00 on 28 March 2027: 02:30 never happens.
    response = admin_client.post(
        reverse("admin:calls_call_add"),
        call_form(CriteriaSetFactory(), closes_at_0="2027-03-28", closes_at_1="02:30"),
    )
    assert response.status_code == 200
    assert "couldn’t be interpreted in time zone Europe/Brussels" in response.content.decode()
    assert not Call.objects.filter(slug="omics-2027").exists()


def test_call_admin_refuses_a_close_before_the_opening_beside_the_form(admin_client):
    response = admin_client.post(
        reverse("admin:calls_call_add"),
        call_form(CriteriaSetFactory(), closes_at_0="2026-12-01"),
    )
    assert response.status_code == 200
    assert not Call.objects.filter(slug="omics-2027").exists()


def test_call_admin_refuses_overlapping_suspensions(admin_client):
    data = call_form(
        CriteriaSetFactory(),
        **{
            "suspensions-TOTAL_FORMS": "2",
            "suspensions-0-starts_at_0": "2027-02-01",
            "suspensions-0-starts_at_1": "00:00",
            "suspensions-0-ends_at_0": "2027-02-10",
            "suspensions-0-ends_at_1": "00:00",
            "suspensions-0-reason": "Maintenance",
            "suspensions-1-starts_at_0": "2027-02-05",
            "suspensions-1-starts_at_1": "00:00",
            "suspensions-1-ends_at_0": "2027-02-12",
            "suspensions-1-ends_at_1": "00:00",
            "suspensions-1-reason": "Strike",
        },
    )
    response = admin_client.post(reverse("admin:calls_call_add"), data)
    assert response.status_code == 200
    assert "Suspensions must not overlap." in response.content.decode()


def test_locked_criteria_set_cannot_be_changed_in_the_admin(admin_client):
    criterion = CriterionFactory(title="Original wording")
    criteria_set = criterion.section.criteria_set
    criteria_set_lock(criteria_set=criteria_set)

    for url in [
        reverse("admin:calls_criteriaset_change", args=[criteria_set.pk]),
        reverse("admin:calls_criterion_change", args=[criterion.pk]),
    ]:
        page = admin_client.get(url)
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
    admin_client.post(
        reverse("admin:calls_criterion_change", args=[criterion.pk]),
        {"title": "Changed wording", "code": "X", "answer_type": "text"},
    )
    criterion.refresh_from_db()
    assert criterion.title == "Original wording"


def test_copying_a_locked_criteria_set_gives_an_editable_next_version(admin_client):
    criterion = CriterionFactory()
    criteria_set = criterion.section.criteria_set
    criteria_set_lock(criteria_set=criteria_set)
    admin_client.post(
        reverse("admin:calls_criteriaset_changelist"),
        {"action": "copy_as_new_version", "_selected_action": [criteria_set.pk]},
    )
    copy = type(criteria_set).objects.get(name=criteria_set.name, version=2)
    assert not copy.is_locked
    assert [c.title for s in copy.sections.all() for c in s.criteria.all()] == [criterion.title]


def test_membership_admin_applies_the_affiliated_partner_rule(admin_client):
    network = Network.objects.get(slug="survivorship")
    MembershipFactory(network=network, institution=InstitutionFactory(country="SI"))
    candidate = InstitutionFactory(country="SI")
    response = admin_client.post(
        reverse("admin:networks_membership_add"),
        {
            "institution": candidate.pk,
            "network": network.pk,
            "tier": "affiliated_partner",
            "since": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert "no full member in this network" in response.content.decode()
    assert not Membership.objects.filter(institution=candidate).exists()
