"""The board's list of a call's proposals asks the database as many questions for 1 proposal as
for 50."""

import pytest
from django.urls import reverse

from decisions.models import Opinion
from tests.board.conftest import proposed

pytestmark = pytest.mark.django_db

COUNTRIES = ["IT", "PT", "FR", "DE", "ES", "NL", "BE", "PL", "SE", "AT"]


def proposals(call, coordinator, start, count):
    for number in range(start, start + count):
        outcome = ["accepted", "rejected", "waitlisted", "referred"][number % 4]
        application = proposed(
            call,
            f"Institution {number}",
            outcome,
            proposer=coordinator,
            country=COUNTRIES[number % len(COUNTRIES)],
        )
        if number % 2:
            Opinion.objects.create(
                application=application,
                favourable=True,
                reasons="Good.",
                given_by=coordinator,
                given_at=application.created_at,
            )


def test_the_board_list_does_not_grow_from_1_to_50_proposals(
    member_client, call, coordinator, count_queries
):
    url = reverse("board:call", args=[call.pk])
    proposals(call, coordinator, 0, 1)
    one, response = count_queries(lambda: member_client.get(url))
    assert response.status_code == 200
    proposals(call, coordinator, 1, 49)
    fifty, response = count_queries(lambda: member_client.get(url))
    assert response.status_code == 200
    assert "Institution 49" in response.content.decode()
    assert fifty == one
    _calls, response = count_queries(lambda: member_client.get(reverse("board:calls")))
    assert response.status_code == 200


def test_the_opinion_page_does_not_grow_from_1_to_50_applications(
    coordinator_client, call, coordinator, count_queries
):
    from applications.models import Application
    from tests.factories import InstitutionFactory, UserFactory

    url = reverse("board:opinions", args=[call.pk])

    def weighed(start, count):
        creator = UserFactory()
        for number in range(start, start + count):
            application = Application.objects.create(
                call=call,
                institution=InstitutionFactory(name=f"Weighed {number}"),
                tier_requested="full_member",
                created_by=creator,
                status="in_review",
            )
            if number % 2:
                Opinion.objects.create(
                    application=application,
                    favourable=False,
                    reasons="Small.",
                    given_by=coordinator,
                    given_at=application.created_at,
                )

    weighed(0, 1)
    one, response = count_queries(lambda: coordinator_client.get(url))
    assert response.status_code == 200
    weighed(1, 49)
    fifty, response = count_queries(lambda: coordinator_client.get(url))
    assert "Weighed 49" in response.content.decode()
    assert fifty == one


def test_the_board_calls_list_does_not_grow_from_1_to_50_calls(
    member_client, coordinator, count_queries
):
    from tests.factories import CallFactory

    url = reverse("board:calls")
    proposed(CallFactory(), "First hospital", proposer=coordinator)
    one, response = count_queries(lambda: member_client.get(url))
    assert response.status_code == 200
    for number in range(49):
        proposed(CallFactory(), f"Hospital {number}", proposer=coordinator)
    fifty, response = count_queries(lambda: member_client.get(url))
    assert fifty == one
