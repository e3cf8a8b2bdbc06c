"""Each model a coordinator edits in the admin, from outside: a coordinator of one network can
neither list, open, change, delete nor read the history of another network's rows, nor add a
row, or point one of their own, at another network's call, network, criteria set or reviewer.
Whatever is refused leaves the database as it was."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from tests.admin.coordinator_worlds import (
    EDITED_MODELS,
    coordinator_of,
    database_state,
    network_world,
)
from tests.factories import CallFactory, ReviewerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def worlds():
    return network_world("omics", "A"), network_world("palliative-care", "B")


@pytest.fixture
def coordinator_client(client, worlds):
    client.force_login(coordinator_of(worlds[0].network))
    return client


def admin_url(label: str, view: str, *args) -> str:
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{view}", args=args)


def model_name(label: str) -> str:
    return label.split(".")[1]


# Another network's rows: every URL ---------------------------------------------------------------


@pytest.mark.parametrize("label", EDITED_MODELS)
def test_another_networks_row_is_not_listed(coordinator_client, worlds, label):
    mine, theirs = worlds
    response = coordinator_client.get(admin_url(label, "changelist"))

    assert response.status_code == 200
    listed = {row.pk for row in response.context["cl"].result_list}
    assert mine.row(model_name(label)).pk in listed
    assert theirs.row(model_name(label)).pk not in listed


@pytest.mark.parametrize("view", ["change", "delete", "history"])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("label", EDITED_MODELS)
def test_another_networks_row_is_not_found_and_not_changed(
    coordinator_client, worlds, label, view, method
):
    _mine, theirs = worlds
    before = database_state()
    url = admin_url(label, view, theirs.row(model_name(label)).pk)

    response = getattr(coordinator_client, method)(url, {"post": "yes"} if method == "post" else {})

    assert response.status_code in (302, 403, 404), url
    if response.status_code == 302:  # the admin's "does not exist": sent away, shown nothing
        assert response["Location"] == reverse("admin:index")
    assert database_state() == before


@pytest.mark.parametrize("label", EDITED_MODELS)
def test_an_action_on_another_networks_row_does_nothing(coordinator_client, worlds, label):
    _mine, theirs = worlds
    changelist = admin_url(label, "changelist")
    action_form = coordinator_client.get(changelist).context["action_form"]
    offered = action_form.fields["action"].choices if action_form else []
    actions = [name for name, _label in offered if name]
    before = database_state()
    for action in [*actions, "delete_selected"]:
        coordinator_client.post(
            changelist,
            {
                "action": action,
                "_selected_action": [theirs.row(model_name(label)).pk],
                "post": "yes",
                "confirm": "1",
            },
        )
    assert database_state() == before


# Adding and changing: the choices of every form ------------------------------------------------


def call_form(world, row=None):
    return {
        "network": world.network.pk,
        "title": "A call",
        "slug": row.slug if row else "a-fresh-call",
        "summary": "Join.",
        "time_zone": "Europe/Brussels",
        "opens_at_0": "2027-01-04",
        "opens_at_1": "09:00",
        "closes_at_0": "2027-03-31",
        "closes_at_1": "23:59",
        "tiers_offered": ["full_member"],
        "criteria_set": world.criteriaset.pk,
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


def criteria_set_form(world, row=None):
    return {
        "name": row.name if row else "A fresh set",
        "version": "1",
        "network": world.network.pk,
        "description": "",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }


def criteria_section_form(world, row=None):
    return {
        "criteria_set": world.criteriaset.pk,
        "title": "A section",
        "description": "",
        "position": "0",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
    }


def criterion_form(world, row=None):
    return {
        "section": world.criteriasection.pk,
        "code": "Z.1",
        "title": "A criterion",
        "guidance": "",
        "answer_type": "text",
        "required": "on",
        "word_limit": "100",
        "choices": "[]",
        "weight": "1",
        "score_min": "0",
        "score_max": "5",
        "position": "0",
    }


def required_document_form(world, row=None):
    return {
        "call": world.call.pk,
        "kind": "self_assessment",
        "title": "A document",
        "description": "",
        "mandatory": "on",
        "allowed_formats": ["pdf"],
        "max_size_mb": "10",
        "position": "0",
    }


def reviewer_form(world, row=None):
    return {
        "user": row.user_id if row else UserFactory().pk,
        "networks": [world.network.pk],
        "keywords": "[]",
        "languages": ["en"],
        "country": "FR",
        "default_capacity": "10",
        "is_active": "on",
    }


def capacity_form(world, row=None):
    if row is None:
        reviewer = ReviewerProfileFactory()
        reviewer.networks.add(world.network)
    return {
        "reviewer": row.reviewer_id if row else reviewer.pk,
        "call": world.call.pk,
        "capacity": "3",
    }


def letter_template_form(world, row=None):
    return {
        "outcome": row.outcome if row else "accepted",
        "network": world.network.pk,
        "call": "",
        "subject": "A subject",
        "body": "A body",
    }


def decision_rules_form(world, row=None):
    # A call has one set of decision rules: a new row is for a new call of the network.
    call = row.call if row else CallFactory(network=world.network)
    return {"call": call.pk, "opinion_required": "on", "panel": []}


# "app.model" -> (its form's data, given the world its rows point at, and the fields that point)
FORMS = {
    "calls.call": (call_form, ["network", "criteria_set"]),
    "calls.criteriaset": (criteria_set_form, ["network"]),
    "calls.criteriasection": (criteria_section_form, ["criteria_set"]),
    "calls.criterion": (criterion_form, ["section"]),
    "calls.requireddocument": (required_document_form, ["call"]),
    "reviews.reviewerprofile": (reviewer_form, ["networks"]),
    "reviews.reviewercapacity": (capacity_form, ["reviewer", "call"]),
    "decisions.lettertemplate": (letter_template_form, ["network", "call"]),
    "decisions.calldecisionrules": (decision_rules_form, ["call"]),
}
POINTING = [(label, field) for label, (_form, fields) in FORMS.items() for field in fields]


def pointing_at(world, field):
    """The id a field takes to point at this world's row."""
    return {
        "network": world.network.pk,
        "networks": [world.network.pk],
        "criteria_set": world.criteriaset.pk,
        "section": world.criteriasection.pk,
        "call": world.call.pk,
        "reviewer": world.reviewerprofile.pk,
    }[field]


def pointed_pk(world, field):
    value = pointing_at(world, field)
    return value[0] if isinstance(value, list) else value


NEVER_ADDED_HERE = [
    "calls.suspensionperiod",  # on its call's page
    "decisions.letter",  # drafted by the decision
    "decisions.redressrequest",  # asked for by the applicant
    "reviews.assignment",  # on the application's workbench
    "reviews.routingrun",  # started from the calls' list
]


# Added through a page of their own, written, previewed and then sent; its permissions from
# outside are in tests/secretariat/test_messaging.py.
ADDED_BY_THEIR_OWN_PAGE = ["applications.applicantmessage"]


def test_every_model_coordinators_edit_is_added_with_a_form_here_or_never_here():
    assert set(FORMS) | set(NEVER_ADDED_HERE) | set(ADDED_BY_THEIR_OWN_PAGE) == set(EDITED_MODELS)


@pytest.mark.parametrize("label", NEVER_ADDED_HERE)
def test_rows_made_elsewhere_cannot_be_added_here(coordinator_client, worlds, label):
    mine, _theirs = worlds
    before = database_state()

    assert coordinator_client.get(admin_url(label, "add")).status_code == 403
    data = {"call": mine.call.pk, "application": mine.assignment.application_id}
    assert coordinator_client.post(admin_url(label, "add"), data).status_code == 403

    assert database_state() == before


@pytest.mark.parametrize("label", FORMS)
def test_a_coordinator_adds_rows_to_their_own_network(coordinator_client, worlds, label):
    mine, _theirs = worlds
    form, _fields = FORMS[label]
    rows = LogEntry.objects.count()

    response = coordinator_client.post(admin_url(label, "add"), form(mine))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert LogEntry.objects.count() == rows + 1


@pytest.mark.parametrize(("label", "field"), POINTING)
def test_the_add_form_offers_nothing_of_another_network(coordinator_client, worlds, label, field):
    mine, theirs = worlds
    form = coordinator_client.get(admin_url(label, "add")).context["adminform"].form
    offered = set(form.fields[field].queryset.values_list("pk", flat=True))

    assert pointed_pk(mine, field) in offered
    assert pointed_pk(theirs, field) not in offered


@pytest.mark.parametrize(("label", "field"), POINTING)
def test_a_row_cannot_be_added_pointing_at_another_network(
    coordinator_client, worlds, label, field
):
    mine, theirs = worlds
    form, _fields = FORMS[label]
    data = {**form(mine), field: pointing_at(theirs, field)}
    before = database_state()

    response = coordinator_client.post(admin_url(label, "add"), data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert database_state() == before


@pytest.mark.parametrize(("label", "field"), POINTING)
def test_a_row_cannot_be_changed_to_point_at_another_network(
    coordinator_client, worlds, label, field
):
    mine, theirs = worlds
    form, _fields = FORMS[label]
    row = mine.row(model_name(label))
    url = admin_url(label, "change", row.pk)
    before = database_state()

    response = coordinator_client.post(url, {**form(mine, row), field: pointing_at(theirs, field)})

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert database_state() == before
    # The same form pointing at the coordinator's own network is saved.
    assert coordinator_client.post(url, form(mine, row)).status_code == 302


def test_a_reviewer_shared_with_another_network_keeps_it_when_a_coordinator_saves(
    coordinator_client, worlds
):
    mine, theirs = worlds
    reviewer = mine.reviewerprofile
    reviewer.networks.add(theirs.network)

    page = coordinator_client.get(admin_url("reviews.reviewerprofile", "change", reviewer.pk))
    assert theirs.network.name not in page.content.decode()
    response = coordinator_client.post(
        admin_url("reviews.reviewerprofile", "change", reviewer.pk),
        {**reviewer_form(mine, reviewer), "default_capacity": "6"},
    )

    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.default_capacity == 6
    assert set(reviewer.networks.all()) == {mine.network, theirs.network}


def test_the_networks_filter_names_only_the_coordinators_networks(coordinator_client, worlds):
    mine, theirs = worlds
    mine.reviewerprofile.networks.add(theirs.network)

    page = coordinator_client.get(admin_url("reviews.reviewerprofile", "changelist"))

    assert theirs.network.name not in page.content.decode()


def test_autocomplete_offers_only_the_coordinators_reviewers_and_criteria_sets(
    coordinator_client, worlds
):
    mine, _theirs = worlds

    def offered(app_label, model_name, field_name):
        response = coordinator_client.get(
            reverse("admin:autocomplete"),
            {"app_label": app_label, "model_name": model_name, "field_name": field_name},
        )
        assert response.status_code == 200
        return {row["text"] for row in response.json()["results"]}

    assert offered("calls", "call", "criteria_set") == {str(mine.criteriaset)}
    assert offered("reviews", "reviewercapacity", "reviewer") == {str(mine.reviewerprofile)}
