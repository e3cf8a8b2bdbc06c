"""Setting up a call on one page: the call, its countries chosen by group, and its criteria
set's sections with their criteria, in one POST; errors beside their fields with what was typed
kept; a set answered by submitted applications left alone; and who may open the page."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import roles
from calls.models import Call, CriteriaSection, CriteriaSet, Criterion
from calls.services import criteria_set_hold_for_change, criteria_set_lock
from networks.models import Network
from tests.admin.coordinator_worlds import coordinator_of
from tests.applications.conftest import person
from tests.factories import (
    CallFactory,
    CriteriaSectionFactory,
    CriteriaSetFactory,
    CriterionFactory,
    InstitutionFactory,
    ReviewerProfileFactory,
    UserFactory,
    staff_with_mfa,
)

pytestmark = pytest.mark.django_db

SET_UP = reverse("admin:calls_call_setup")


def omics():
    return Network.objects.get(slug="omics")


def call_fields(network, **overrides):
    data = {
        "network": network.pk,
        "title": "Omics call 2027",
        "slug": "omics-2027",
        "summary": "Join the omics network.",
        "time_zone": "Europe/Brussels",
        "opens_at_0": "2027-01-04",
        "opens_at_1": "09:00",
        "closes_at_0": "2027-03-31",
        "closes_at_1": "23:59",
        "admitted_country_groups": ["eu", "eea"],
        "admitted_countries": ["UA", "CH"],
        "tiers_offered": ["full_member"],
        "reviews_per_application": "3",
        "review_days": "21",
        "redress_days": "30",
        "endorsement_route": "either",
    }
    data.update(overrides)
    return data


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def criterion_fields(prefix, code, title, answer_type="text", **overrides):
    data = {
        f"{prefix}-code": code,
        f"{prefix}-title": title,
        f"{prefix}-guidance": "",
        f"{prefix}-answer_type": answer_type,
        f"{prefix}-required": "on",
        f"{prefix}-word_limit": "300" if answer_type == "text" else "",
        f"{prefix}-choices": "",
        f"{prefix}-weight": "1",
        f"{prefix}-score_min": "0",
        f"{prefix}-score_max": "5",
        f"{prefix}-position": "0",
    }
    data.update({f"{prefix}-{key}": value for key, value in overrides.items()})
    return data


def blank_criterion(prefix):
    """A blank row as the page offers it: the defaults shown, nothing typed."""
    return {
        f"{prefix}-required": "on",
        f"{prefix}-weight": "1",
        f"{prefix}-score_min": "0",
        f"{prefix}-score_max": "5",
        f"{prefix}-position": "0",
    }


def two_sections():
    """Two sections of two criteria each, as typed on the page."""
    return {
        **management("sections", 2),
        "sections-0-title": "Clinical activity",
        "sections-0-description": "What the centre does.",
        "sections-0-position": "1",
        **management("sections-0-criteria", 2),
        **criterion_fields(
            "sections-0-criteria-0", "A.1", "Describe your service", guidance="Volumes too."
        ),
        **criterion_fields("sections-0-criteria-1", "A.2", "Patients a year", "number"),
        "sections-1-title": "Resources",
        "sections-1-description": "",
        "sections-1-position": "2",
        **management("sections-1-criteria", 2),
        **criterion_fields(
            "sections-1-criteria-0",
            "B.1",
            "Staffing model",
            "choice",
            choices="Dedicated team\nShared team",
        ),
        **criterion_fields("sections-1-criteria-1", "B.2", "Maturity", "maturity"),
    }


@pytest.fixture
def coordinator_client(client):
    client.force_login(coordinator_of(omics()))
    return client


def test_a_coordinator_creates_a_call_with_its_criteria_and_countries_in_one_post(
    coordinator_client,
):
    response = coordinator_client.post(SET_UP, {**call_fields(omics()), **two_sections()})
    assert response.status_code == 302, response.content.decode()[:3000]
    call = Call.objects.get(slug="omics-2027")
    assert call.admitted_country_groups == ["eu", "eea"]
    assert call.endorsement_route == "either"
    assert sorted(country.code for country in call.admitted_countries) == ["CH", "UA"]
    criteria_set = call.criteria_set
    assert (criteria_set.name, criteria_set.network, criteria_set.version) == (
        "Omics call 2027",
        omics(),
        1,
    )
    sections = list(criteria_set.sections.order_by("position"))
    assert [s.title for s in sections] == ["Clinical activity", "Resources"]
    assert [(c.code, c.answer_type) for c in sections[0].criteria.order_by("code")] == [
        ("A.1", "text"),
        ("A.2", "number"),
    ]
    assert sections[0].criteria.get(code="A.1").guidance == "Volumes too."
    assert sections[1].criteria.get(code="B.1").choices == ["Dedicated team", "Shared team"]
    # Blank rows the page offered are left out; the times are the call's zone's.
    assert Criterion.objects.filter(section__criteria_set=criteria_set).count() == 4
    assert call.closes_at.isoformat() == "2027-03-31T21:59:00+00:00"


def test_the_page_offers_countries_by_group_with_a_filter(coordinator_client):
    page = coordinator_client.get(SET_UP).content.decode()
    for heading in ["EU Member States", "EEA countries", "Associated countries", "Other countries"]:
        assert heading in page
    assert "data-country-filter" in page and "js/country-picker" in page
    eu = page.index("EU Member States")
    assert eu < page.index('value="FR"') < page.index("EEA countries") < page.index('value="NO"')
    assert "admitted_country_groups" in page
    assert "sections-0-criteria-0-code" in page  # sections and criteria on the same page


def test_errors_are_shown_beside_their_fields_and_everything_typed_is_kept(coordinator_client):
    data = {
        **call_fields(omics(), closes_at_0="2026-12-01"),  # closes before it opens
        **two_sections(),
        "sections-1-criteria-0-choices": "Only one option",  # a choice needs two
        "sections-1-title": "",  # criteria typed in a section with no title
    }
    response = coordinator_client.post(SET_UP, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "A choice answer needs at least two options." in page
    assert "This field is required." in page
    assert "Please correct the errors below" in page
    for typed in ["Describe your service", "Volumes too.", "Only one option", "Omics call 2027"]:
        assert typed in page, typed
    assert 'value="UA" id="id_admitted_countries_' in page.replace("\n", "")
    assert 'value="UA" id=' in page and "checked" in page.split('value="UA"')[1][:120]
    assert not Call.objects.filter(slug="omics-2027").exists()
    assert not CriteriaSet.objects.filter(name="Omics call 2027").exists()


def test_a_coordinator_edits_the_criteria_of_a_call_on_the_same_page(coordinator_client):
    criterion = CriterionFactory(
        section=CriteriaSectionFactory(criteria_set=CriteriaSetFactory(network=omics())),
        title="Old wording",
    )
    section = criterion.section
    call = CallFactory(network=omics(), criteria_set=section.criteria_set)
    url = reverse("admin:calls_call_setup_change", args=[call.pk])
    page = coordinator_client.get(url)
    assert page.status_code == 200
    data = {
        **call_fields(omics(), title=call.title, slug=call.slug),
        **management("sections", 2, initial=1),
        "sections-0-id": str(section.pk),
        "sections-0-criteria_set": str(section.criteria_set_id),
        "sections-0-title": section.title,
        "sections-0-position": "0",
        **management("sections-0-criteria", 2, initial=1),
        **criterion_fields("sections-0-criteria-0", criterion.code, "New wording"),
        "sections-0-criteria-0-id": str(criterion.pk),
        "sections-0-criteria-0-section": str(section.pk),
        **criterion_fields("sections-0-criteria-1", "A.9", "An added criterion"),
        **management("sections-1-criteria", 2),
        **blank_criterion("sections-1-criteria-0"),
        **blank_criterion("sections-1-criteria-1"),
        "sections-1-title": "",
        "sections-1-position": "0",
    }
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    criterion.refresh_from_db()
    assert criterion.title == "New wording"
    assert set(section.criteria.values_list("code", flat=True)) == {criterion.code, "A.9"}
    assert CriteriaSection.objects.filter(criteria_set=section.criteria_set).count() == 1


def test_a_criteria_set_answered_by_submitted_applications_cannot_change_from_the_page(
    coordinator_client,
):
    criterion = CriterionFactory(
        section=CriteriaSectionFactory(criteria_set=CriteriaSetFactory(network=omics())),
        title="Answered wording",
    )
    section = criterion.section
    call = CallFactory(network=omics(), criteria_set=section.criteria_set)
    criteria_set_lock(criteria_set=section.criteria_set)  # as the first submission does
    url = reverse("admin:calls_call_setup_change", args=[call.pk])
    page = coordinator_client.get(url).content.decode()
    assert "can no longer change" in page
    assert "Answered wording" in page
    assert "sections-0-criteria-0-title" not in page
    data = {
        **call_fields(omics(), title="Renamed call", slug=call.slug),
        **management("sections", 1, initial=1),
        "sections-0-id": str(section.pk),
        "sections-0-title": "Changed section",
        **management("sections-0-criteria", 1, initial=1),
        **criterion_fields("sections-0-criteria-0", criterion.code, "Changed wording"),
        "sections-0-criteria-0-id": str(criterion.pk),
        "sections-0-criteria-0-DELETE": "on",
    }
    coordinator_client.post(url, data)
    criterion.refresh_from_db()
    section_title = section.title
    section.refresh_from_db()
    assert (criterion.title, section.title) == ("Answered wording", section_title)
    # The call's own settings still change.
    call.refresh_from_db()
    assert call.title == "Renamed call"


def test_a_submission_between_loading_and_saving_is_not_overwritten():
    criteria_set = CriteriaSetFactory(network=omics())
    criteria_set_lock(criteria_set=criteria_set)
    with pytest.raises(ValidationError, match="submitted meanwhile"):
        criteria_set_hold_for_change(criteria_set=CriteriaSet(pk=criteria_set.pk))


def test_the_call_list_and_page_link_to_the_set_up(coordinator_client):
    call = CallFactory(network=omics())
    assert SET_UP in coordinator_client.get(reverse("admin:calls_call_changelist")).content.decode()
    page = coordinator_client.get(reverse("admin:calls_call_change", args=[call.pk]))
    assert reverse("admin:calls_call_setup_change", args=[call.pk]) in page.content.decode()
    # The regular page picks countries by group too.
    assert "EU Member States" in page.content.decode()


# From outside.


def test_a_coordinator_of_another_network_neither_sees_nor_changes_its_calls(coordinator_client):
    theirs = Network.objects.exclude(slug="omics").first()
    call = CallFactory(network=theirs, title="Their call")
    url = reverse("admin:calls_call_setup_change", args=[call.pk])
    assert coordinator_client.get(url).status_code == 404
    assert coordinator_client.post(url, call_fields(theirs, title="Taken")).status_code == 404
    call.refresh_from_db()
    assert call.title == "Their call"
    # Nor create one in it, even by posting its id.
    response = coordinator_client.post(SET_UP, {**call_fields(theirs), **two_sections()})
    assert response.status_code == 400
    assert not Call.objects.filter(slug="omics-2027").exists()


def outsiders():
    applicant = person("ana@hospital.example", InstitutionFactory())
    reviewer = ReviewerProfileFactory().user
    reviewer.groups.add(Group.objects.get(name=roles.REVIEWERS))
    observer = UserFactory(email="olga@ec.example.eu")
    observer.groups.add(Group.objects.get(name=roles.EC_OBSERVERS))
    return {"applicant": applicant, "reviewer": reviewer, "observer": observer}


@pytest.mark.parametrize("method", ["get", "post"])
def test_applicants_reviewers_observers_and_visitors_are_kept_out(client, method):
    call = CallFactory(network=omics(), title="Kept call")
    urls = [SET_UP, reverse("admin:calls_call_setup_change", args=[call.pk])]
    data = {**call_fields(omics()), **two_sections()}
    for url in urls:
        response = getattr(client, method)(url, data if method == "post" else None)
        assert response.status_code == 302 and "login" in response["Location"], url
    for who, user in outsiders().items():
        client.force_login(user)
        for url in urls:
            response = getattr(client, method)(url, data if method == "post" else None)
            assert response.status_code in (302, 403), (who, url, response.status_code)
            assert "Kept call" not in response.content.decode()
    assert not Call.objects.filter(slug="omics-2027").exists()
    call.refresh_from_db()
    assert call.title == "Kept call"


def test_an_administrator_sets_up_a_call_of_any_network(client):
    client.force_login(staff_with_mfa(UserFactory(is_staff=True, is_superuser=True)))
    theirs = Network.objects.exclude(slug="omics").first()
    response = client.post(SET_UP, {**call_fields(theirs), **two_sections()})
    assert response.status_code == 302
    assert Call.objects.get(slug="omics-2027").criteria_set.network == theirs


def test_the_set_up_page_query_count_does_not_grow_with_sections_and_criteria(
    coordinator_client, count_queries
):
    criteria_set = CriteriaSetFactory(network=omics())
    call = CallFactory(network=omics(), criteria_set=criteria_set)
    url = reverse("admin:calls_call_setup_change", args=[call.pk])

    def add_section():
        section = CriteriaSectionFactory(criteria_set=criteria_set)
        for _ in range(3):
            CriterionFactory(section=section)

    add_section()
    few, response = count_queries(lambda: coordinator_client.get(url))
    assert response.status_code == 200
    for _ in range(9):
        add_section()
    many, response = count_queries(lambda: coordinator_client.get(url))
    assert response.status_code == 200
    assert response.content.decode().count('-heading">') >= 40
    assert many == few


def test_posting_the_set_up_twice_makes_one_call_and_one_criteria_set(coordinator_client):
    data = {**call_fields(omics()), **two_sections()}
    assert coordinator_client.post(SET_UP, data).status_code == 302
    again = coordinator_client.post(SET_UP, data)
    assert again.status_code == 400
    assert "Call with this Slug already exists." in again.content.decode()
    assert Call.objects.filter(slug="omics-2027").count() == 1
    assert CriteriaSet.objects.filter(name="Omics call 2027").count() == 1


def test_sending_an_edit_twice_adds_its_new_criteria_and_sections_once(coordinator_client):
    section = CriteriaSectionFactory(criteria_set=CriteriaSetFactory(network=omics()))
    call = CallFactory(network=omics(), criteria_set=section.criteria_set)
    url = reverse("admin:calls_call_setup_change", args=[call.pk])
    data = {
        **call_fields(omics(), title=call.title, slug=call.slug),
        **management("sections", 2, initial=1),
        "sections-0-id": str(section.pk),
        "sections-0-title": section.title,
        "sections-0-position": "0",
        **management("sections-0-criteria", 1),
        **criterion_fields("sections-0-criteria-0", "A.9", "An added criterion"),
        "sections-1-title": "An added section",
        "sections-1-position": "1",
        **management("sections-1-criteria", 1),
        **criterion_fields("sections-1-criteria-0", "B.1", "Its criterion"),
    }
    assert coordinator_client.post(url, data).status_code == 302
    again = coordinator_client.post(url, data)  # the same page sent a second time
    assert again.status_code == 400
    page = again.content.decode()
    assert "Another criterion of the criteria set has this code." in page
    assert "The criteria set has a section of this title already." in page
    criteria_set = section.criteria_set
    assert criteria_set.sections.count() == 2
    assert sorted(
        Criterion.objects.filter(section__criteria_set=criteria_set).values_list("code", flat=True)
    ) == ["A.9", "B.1"]
