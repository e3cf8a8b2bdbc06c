"""A coordinator of one network sees nothing of another anywhere in the admin."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from applications.models import Application, Submission
from networks.models import Network
from reviews.models import Assignment, ReviewerProfile, RoutingEvent, RoutingRun
from tests.factories import (
    CallFactory,
    InstitutionFactory,
    MembershipFactory,
    UserFactory,
    staff_with_mfa,
)

pytestmark = pytest.mark.django_db


def network_world(network, tag):
    """A call, an application with its history, a reviewer and an assignment in a network."""
    call = CallFactory(network=network, title=f"Call {tag}")
    institution = InstitutionFactory(name=f"Institution {tag}")
    applicant = UserFactory()
    application = Application.objects.create(
        call=call, institution=institution, tier_requested="full_member", created_by=applicant
    )
    Submission.objects.create(
        application=application,
        number=1,
        submitted_at=call.opens_at,
        submitted_by=applicant,
        content={},
        checksum=tag * 64,
    )
    reviewer = ReviewerProfile.objects.create(
        user=UserFactory(name=f"Reviewer {tag}"), country="FR"
    )
    reviewer.networks.add(network)
    Assignment.objects.create(application=application, reviewer=reviewer, source="router")
    RoutingEvent.objects.create(application=application, message=f"Routed {tag}")
    RoutingRun.objects.create(call=call, created_by=applicant)
    MembershipFactory(network=network, institution=InstitutionFactory(name=f"Member {tag}"))
    return {"call": call, "application": application, "reviewer": reviewer}


@pytest.fixture
def worlds():
    return (
        network_world(Network.objects.get(slug="omics"), "A"),
        network_world(Network.objects.get(slug="palliative-care"), "B"),
    )


@pytest.fixture
def coordinator_client(client):
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    Network.objects.get(slug="omics").coordinators.add(coordinator)
    client.force_login(staff_with_mfa(coordinator))
    return client


CHANGELISTS = [
    "admin:calls_call_changelist",
    "admin:calls_requireddocument_changelist",
    "admin:applications_application_changelist",
    "admin:applications_submission_changelist",
    "admin:reviews_reviewerprofile_changelist",
    "admin:reviews_assignment_changelist",
    "admin:reviews_routingevent_changelist",
    "admin:reviews_routingrun_changelist",
    "admin:networks_membership_changelist",
    "admin:networks_network_changelist",
]


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_changelists_show_only_the_coordinators_network(coordinator_client, worlds, url_name):
    response = coordinator_client.get(reverse(url_name))
    page = response.content.decode()
    assert response.status_code == 200
    for marker in ["Call B", "Institution B", "Reviewer B", "Routed B", "Member B", "palliative"]:
        assert marker not in page, marker


def test_change_pages_of_another_network_are_not_found_by_direct_url(coordinator_client, worlds):
    mine, theirs = worlds
    for world, visible in [(mine, True), (theirs, False)]:
        urls = [
            reverse("admin:calls_call_change", args=[world["call"].pk]),
            reverse("admin:applications_application_change", args=[world["application"].pk]),
            reverse("admin:reviews_reviewerprofile_change", args=[world["reviewer"].pk]),
            reverse(
                "admin:reviews_assignment_change",
                args=[world["application"].assignments.get().pk],
            ),
        ]
        for url in urls:
            response = coordinator_client.get(url)
            if visible:
                assert response.status_code == 200, url
            else:
                assert response.status_code == 302, url  # the admin's "does not exist"
                assert "Call B" not in response.content.decode()


def test_search_finds_nothing_of_another_network(coordinator_client, worlds):
    page = coordinator_client.get(
        reverse("admin:applications_application_changelist"), {"q": "Institution B"}
    ).content.decode()
    assert "0 applications" in page


def test_filters_offer_only_the_coordinators_own_calls(coordinator_client, worlds):
    page = coordinator_client.get(
        reverse("admin:applications_application_changelist")
    ).content.decode()
    assert "Call A" in page
    assert "Call B" not in page


def test_autocomplete_offers_only_the_coordinators_own_calls(coordinator_client, worlds):
    response = coordinator_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "reviews",
            "model_name": "reviewercapacity",
            "field_name": "call",
            "term": "Call",
        },
    )
    titles = {row["text"] for row in response.json()["results"]}
    assert titles == {"Call A"}


def test_an_action_on_a_forged_id_of_another_network_does_nothing(coordinator_client, worlds):
    _mine, theirs = worlds
    coordinator_client.post(
        reverse("admin:calls_call_changelist"),
        {"action": "plan_reviewer_assignment", "_selected_action": [theirs["call"].pk]},
    )
    assert (
        not RoutingRun.objects.filter(call=theirs["call"])
        .exclude(created_by__is_staff=False)
        .exists()
    )
    assert RoutingRun.objects.filter(call=theirs["call"]).count() == 1  # only the fixture's


def test_a_coordinator_can_only_create_calls_in_their_own_network(coordinator_client, worlds):
    page = coordinator_client.get(reverse("admin:calls_call_add")).content.decode()
    assert "Network of Expertise on omics technologies" in page
    assert "Network of Expertise on palliative care" not in page


def test_an_administrator_sees_every_network(client, worlds):
    client.force_login(staff_with_mfa(UserFactory(is_staff=True, is_superuser=True)))
    page = client.get(reverse("admin:applications_application_changelist")).content.decode()
    assert "Institution A" in page and "Institution B" in page
