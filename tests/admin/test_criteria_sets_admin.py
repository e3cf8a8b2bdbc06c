"""Criteria sets belong to a network: its coordinators keep them, other networks' coordinators
never see them, and a set several networks share is kept by administrators."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from calls.models import CriteriaSection, CriteriaSet, Criterion
from calls.services import criteria_set_lock
from networks.models import Network
from tests.admin.coordinator_worlds import coordinator_of, database_state
from tests.factories import (
    CallFactory,
    CriteriaSectionFactory,
    CriteriaSetFactory,
    CriterionFactory,
    UserFactory,
    staff_with_mfa,
)

pytestmark = pytest.mark.django_db

SET_URLS = ["criteriaset", "criteriasection", "criterion"]


@pytest.fixture
def omics():
    return Network.objects.get(slug="omics")


@pytest.fixture
def palliative():
    return Network.objects.get(slug="palliative-care")


@pytest.fixture
def coordinator_client(client, omics):
    client.force_login(coordinator_of(omics))
    return client


def criterion_in(criteria_set, title):
    section = CriteriaSectionFactory(criteria_set=criteria_set, title=f"Section of {title}")
    return CriterionFactory(section=section, title=title)


def urls_of(criterion, view):
    """The set's, the section's and the criterion's URL for a view."""
    rows = [criterion.section.criteria_set, criterion.section, criterion]
    return [
        reverse(f"admin:calls_{name}_{view}", args=[row.pk])
        for name, row in zip(SET_URLS, rows, strict=True)
    ]


def section_form(criteria_set):
    return {
        "criteria_set": criteria_set.pk,
        "title": "Added",
        "description": "",
        "position": "9",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
    }


def criterion_form(section):
    return {
        "section": section.pk,
        "code": "Z.9",
        "title": "Added",
        "answer_type": "text",
        "required": "on",
        "word_limit": "100",
        "choices": "[]",
        "weight": "1",
        "score_min": "0",
        "score_max": "5",
        "position": "9",
    }


def test_another_networks_set_no_call_uses_yet_is_neither_seen_nor_changed(
    coordinator_client, palliative
):
    # The hole this closes: a set not used by any call was open to every coordinator.
    theirs = criterion_in(CriteriaSetFactory(network=palliative, name="Their draft"), "Theirs")
    before = database_state()

    for name in SET_URLS:
        page = coordinator_client.get(reverse(f"admin:calls_{name}_changelist")).content.decode()
        assert "Their draft" not in page and "Theirs" not in page
    for url in urls_of(theirs, "change"):
        assert coordinator_client.get(url)["Location"] == reverse("admin:index")
        coordinator_client.post(url, {"name": "Taken over", "title": "Taken over"})
    coordinator_client.post(
        reverse("admin:calls_criteriasection_add"), section_form(theirs.section.criteria_set)
    )
    coordinator_client.post(reverse("admin:calls_criterion_add"), criterion_form(theirs.section))

    assert database_state() == before
    assert not CriteriaSection.objects.filter(title="Added").exists()
    assert not Criterion.objects.filter(title="Added").exists()


def test_a_shared_set_is_read_by_coordinators_and_kept_by_administrators(
    client, coordinator_client
):
    shared = criterion_in(CriteriaSetFactory(name="Shared grid"), "Shared criterion")
    criteria_set = shared.section.criteria_set

    for url in urls_of(shared, "change"):
        page = coordinator_client.get(url)
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert (
            coordinator_client.post(url, {"name": "Changed", "title": "Changed"}).status_code == 403
        )
    response = coordinator_client.post(
        reverse("admin:calls_criteriasection_add"), section_form(criteria_set)
    )
    assert "criteria_set" in response.context["adminform"].form.errors
    criteria_set.refresh_from_db()
    assert criteria_set.name == "Shared grid"

    client.force_login(staff_with_mfa(UserFactory(is_staff=True, is_superuser=True)))
    response = client.post(reverse("admin:calls_criteriasection_add"), section_form(criteria_set))
    assert response.status_code == 302
    assert criteria_set.sections.filter(title="Added").exists()


def test_nothing_is_added_to_a_locked_set_even_by_an_administrator(client, omics):
    locked = criterion_in(CriteriaSetFactory(network=omics), "Locked criterion")
    criteria_set_lock(criteria_set=locked.section.criteria_set)
    client.force_login(staff_with_mfa(UserFactory(is_staff=True, is_superuser=True)))

    response = client.post(
        reverse("admin:calls_criteriasection_add"), section_form(locked.section.criteria_set)
    )
    assert "criteria_set" in response.context["adminform"].form.errors
    response = client.post(reverse("admin:calls_criterion_add"), criterion_form(locked.section))
    assert "section" in response.context["adminform"].form.errors

    # Nor through the set's page, whose inlines are read-only.
    page = client.get(
        reverse("admin:calls_criteriaset_change", args=[locked.section.criteria_set_id])
    )
    [sections] = page.context["inline_admin_formsets"]
    assert not (sections.has_add_permission or sections.has_change_permission)
    assert not sections.has_delete_permission


def test_a_coordinators_new_set_belongs_to_one_of_their_networks(coordinator_client, omics):
    form = {
        "name": "Our grid",
        "version": "1",
        "description": "",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }
    response = coordinator_client.post(reverse("admin:calls_criteriaset_add"), form)
    assert "network" in response.context["adminform"].form.errors  # a shared one: refused

    response = coordinator_client.post(
        reverse("admin:calls_criteriaset_add"), {**form, "network": omics.pk}
    )
    assert response.status_code == 302
    assert CriteriaSet.objects.get(name="Our grid").network == omics


def test_copying_a_set_keeps_it_in_its_network_and_a_shared_one_comes_into_the_coordinators(
    coordinator_client, omics, palliative
):
    ours = CriteriaSetFactory(network=omics, name="Ours")
    shared = CriteriaSetFactory(name="Shared")
    theirs = CriteriaSetFactory(network=palliative, name="Theirs")

    coordinator_client.post(
        reverse("admin:calls_criteriaset_changelist"),
        {"action": "copy_as_new_version", "_selected_action": [ours.pk, shared.pk, theirs.pk]},
    )

    assert CriteriaSet.objects.get(name="Ours", version=2).network == omics
    assert CriteriaSet.objects.get(name="Shared", version=2).network == omics
    assert not CriteriaSet.objects.filter(name="Theirs", version=2).exists()


def test_a_coordinator_of_two_networks_asks_an_administrator_to_copy_a_shared_set(
    client, omics, palliative
):
    client.force_login(coordinator_of(omics, palliative))
    shared = CriteriaSetFactory(name="Shared")

    response = client.post(
        reverse("admin:calls_criteriaset_changelist"),
        {"action": "copy_as_new_version", "_selected_action": [shared.pk]},
        follow=True,
    )

    assert "ask an administrator" in response.content.decode()
    assert not CriteriaSet.objects.filter(name="Shared", version=2).exists()


def test_a_call_uses_a_set_of_its_own_network_or_a_shared_one(omics, palliative):
    call = CallFactory(network=omics, criteria_set=CriteriaSetFactory(network=omics))
    call.full_clean()
    call.criteria_set = CriteriaSetFactory()
    call.full_clean()
    call.criteria_set = CriteriaSetFactory(network=palliative)
    with pytest.raises(ValidationError) as refused:
        call.full_clean()
    assert "criteria_set" in refused.value.message_dict


def test_a_set_used_by_calls_of_other_networks_stays_shared(omics, palliative):
    criteria_set = CriteriaSetFactory()
    CallFactory(network=omics, criteria_set=criteria_set)
    CallFactory(network=palliative, criteria_set=criteria_set)

    criteria_set.network = omics
    with pytest.raises(ValidationError) as refused:
        criteria_set.full_clean()
    assert "network" in refused.value.message_dict


def test_existing_sets_get_the_network_of_the_calls_that_use_them(omics, palliative):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("calls.migrations.0004_criteria_set_network")
    of_omics, of_two, unused = (CriteriaSetFactory() for _ in range(3))
    CallFactory(network=omics, criteria_set=of_omics)
    CallFactory(network=omics, criteria_set=of_omics)
    CallFactory(network=omics, criteria_set=of_two)
    CallFactory(network=palliative, criteria_set=of_two)

    migration.owner_from_calls(apps, None)

    networks = dict(CriteriaSet.objects.values_list("pk", "network"))
    assert networks[of_omics.pk] == omics.pk
    assert networks[of_two.pk] is None
    assert networks[unused.pk] is None
