"""The application changelist on deadline day: its filters take their choices from small tables
and it counts its rows once, so the applications table is read twice per page (the count and
the page), for 1 application as for 50; the filters still filter, and bad values never fail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.admin.test_application_workbench import (  # noqa: F401
    CHANGELIST,
    application_in_review,
    coordinator,
    coordinator_client,
)
from tests.applications.conftest import call  # noqa: F401
from tests.factories import CallFactory, UserFactory, staff_with_mfa

pytestmark = pytest.mark.django_db


def costs(client, params=None):
    """(queries, queries reading the applications table) of one changelist page."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse(CHANGELIST), params or {})
    assert response.status_code == 200
    queries = [q["sql"] for q in context.captured_queries if "SAVEPOINT" not in q["sql"]]
    return len(queries), sum('FROM "applications_application"' in q for q in queries), response


@pytest.fixture
def superuser_client(client):
    client.force_login(staff_with_mfa(UserFactory(is_staff=True, is_superuser=True)))
    return client


@pytest.mark.parametrize("who", ["coordinator_client", "superuser_client"])
def test_the_application_changelist_reads_the_applications_twice_for_1_as_for_50(
    request,
    call,  # noqa: F811
    who,
):
    client = request.getfixturevalue(who)
    application_in_review(call, scores=[70, 80])
    client.get(reverse(CHANGELIST))  # warm the content-type cache, as any running site has
    few, few_on_applications, _ = costs(client)
    for index in range(49):
        application_in_review(call, country=["IT", "FR", "NO"][index % 3], scores=[50, 60])
    many, many_on_applications, response = costs(client)
    assert (many, many_on_applications) == (few, few_on_applications)
    assert many_on_applications == 2  # the count of the rows filtered, and the page
    assert len(response.context["cl"].result_list) == 50


def test_the_changelist_filters_still_filter_and_offer_only_the_coordinators_calls(
    coordinator_client,  # noqa: F811
    call,  # noqa: F811
):
    italian = application_in_review(call, country="IT", name="Ospedale uno")
    application_in_review(call, country="FR", name="Hôpital deux")
    elsewhere = CallFactory(title="Another network's call")
    _, _, response = costs(coordinator_client, {"country": "IT"})
    page = response.content.decode()
    assert "Ospedale uno" in page and "Hôpital deux" not in page
    assert "Another network" not in page  # not offered in the call filter
    _, _, response = costs(coordinator_client, {"country": "IT", "call__id__exact": call.pk})
    assert [a.pk for a in response.context["cl"].result_list] == [italian.pk]
    network = call.network
    _, _, response = costs(coordinator_client, {"network": network.pk})
    assert len(response.context["cl"].result_list) == 2
    _, _, response = costs(coordinator_client, {"call__id__exact": elsewhere.pk})
    assert len(response.context["cl"].result_list) == 0


@pytest.mark.parametrize("parameter", ["call__id__exact", "network", "country"])
def test_the_changelist_shrugs_off_bad_filter_values(
    coordinator_client,  # noqa: F811
    call,  # noqa: F811
    parameter,
):
    application_in_review(call)
    response = coordinator_client.get(reverse(CHANGELIST), {parameter: "x'; DROP"})
    assert response.status_code in (200, 302)
