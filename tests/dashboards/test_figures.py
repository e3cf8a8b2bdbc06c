"""What the dashboards count, how the filters narrow it, and that a change shows at once."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from applications.enums import Actor, ApplicationStatus
from applications.models import Application, StatusChange
from applications.services.transitions import application_transition
from networks.models import Network
from reviews.models import ReviewerProfile
from tests.dashboards.conftest import applications_bulk
from tests.factories import CallFactory, InstitutionFactory, MembershipFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def table(client, url, **params) -> dict[str, list[str]]:
    """A figure's CSV as {first cell: the other cells}."""
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return {row[0]: row[1:] for row in rows[1:]}


def call_csv(call, figure):
    return reverse("dashboards:call_csv", args=[call.slug, figure])


@pytest.fixture
def signed_in(client, observer):
    client.force_login(observer)
    return client


def test_figures_count_applications_by_status_stage_country_and_type(signed_in, palliative_call):
    applications_bulk(palliative_call, 24)  # every status twice, in_review and submitted 4 times
    cache.clear()
    status = table(signed_in, call_csv(palliative_call, "status"))
    assert status["Draft"] == ["2"]
    assert status["In review"] == ["4"]
    funnel = table(signed_in, call_csv(palliative_call, "funnel"))
    assert funnel["Started"] == ["24", "100.0 %"]
    assert funnel["Submitted"][0] == "20"  # less the drafts and the withdrawn
    assert funnel["Decided"][0] == "8"
    decisions = table(signed_in, call_csv(palliative_call, "decisions"))
    assert decisions["Accepted"] == ["2", "25.0 %"]
    countries = table(signed_in, call_csv(palliative_call, "countries"))
    assert countries["Italy"] == ["IT", "EU Member State", "2"]
    assert countries["Ukraine"][1:] == ["Associated country", "2"]
    groups = table(signed_in, call_csv(palliative_call, "country-groups"))
    assert groups == {"EU Member State": ["20"], "Associated country": ["2"], "EEA country": ["2"]}
    types = table(signed_in, call_csv(palliative_call, "institution-types"))
    assert types["Hospital"] == ["6"]


def test_review_figures_show_progress_backlog_load_and_scores(
    signed_in, palliative_call, django_capture_on_commit_callbacks
):
    applications_bulk(palliative_call, 24)
    cache.clear()
    reviews = table(signed_in, call_csv(palliative_call, "reviews"))
    assert reviews["Assignments accepted"] == ["4"]
    assert reviews["Reviews submitted"] == ["2"]
    assert reviews["Reviews awaited (backlog)"] == ["2"]
    assert reviews["Applications in review still short of reviews"] == ["4"]  # 3 needed each
    scores = table(signed_in, call_csv(palliative_call, "scores"))
    assert scores["90–100"] == ["2"]  # every score at the top of its scale
    assert scores["0–9"] == ["0"]
    load = table(signed_in, call_csv(palliative_call, "reviewer-load"))
    assert load == {"1 active assignment": ["4"]}
    # A reviewer of the network with nothing assigned yet counts too, at zero.
    idle = ReviewerProfile.objects.filter(assignments__isnull=True).get()
    with django_capture_on_commit_callbacks(execute=True):  # stale once the change commits
        idle.networks.add(palliative_call.network)
    load = table(signed_in, call_csv(palliative_call, "reviewer-load"))
    assert load == {"0 active assignments": ["1"], "1 active assignment": ["4"]}


def test_time_in_stage_runs_from_entering_to_leaving(signed_in, palliative_call):
    (application,) = applications_bulk(palliative_call, 2)[1:]  # the submitted one
    StatusChange.objects.filter(application=application).delete()
    start = timezone.now() - datetime.timedelta(days=10)
    StatusChange.objects.bulk_create(
        [
            StatusChange(
                application=application, from_status="draft", to_status="submitted", at=start
            ),
            StatusChange(
                application=application,
                from_status="submitted",
                to_status="eligible",
                at=start + datetime.timedelta(days=2),
            ),
        ]
    )
    Application.objects.filter(pk=application.pk).update(status=S.ELIGIBLE)
    cache.clear()
    stages = table(signed_in, call_csv(palliative_call, "stages"))
    assert stages["Submitted"] == ["1", "2.0"]
    assert stages["Eligible"] == ["1", "8.0"]  # still there: counted up to now


def test_a_change_of_state_shows_at_once(
    signed_in, palliative_call, django_capture_on_commit_callbacks
):
    applications = applications_bulk(palliative_call, 2)
    submitted = Application.objects.get(pk=applications[1].pk)
    assert table(signed_in, call_csv(palliative_call, "status"))["Eligible"] == ["0"]
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application=submitted, to_status=S.ELIGIBLE, actor=None, actor_kind=Actor.SYSTEM
        )
    assert table(signed_in, call_csv(palliative_call, "status"))["Eligible"] == ["1"]


def test_filters_narrow_to_a_network_a_call_and_a_period(signed_in, palliative_call):
    applications_bulk(palliative_call, 12)
    other_call = CallFactory(network=Network.objects.get(slug="omics"))
    applications_bulk(other_call, 12, start=100)
    cache.clear()
    overview = table(signed_in, reverse("dashboards:overview_csv", args=["funnel"]))
    assert overview["Started"][0] == "24"
    network = palliative_call.network
    by_network = table(signed_in, reverse("dashboards:network_csv", args=[network.slug, "funnel"]))
    assert by_network["Started"][0] == "12"
    # The bulk applications were submitted over the last five days; drafts were started today.
    long_ago = {"start": "2020-01-01", "end": "2020-12-31"}
    assert table(signed_in, call_csv(palliative_call, "funnel"), **long_ago)["Started"][0] == "0"
    today = timezone.localdate(timezone=palliative_call.zone).isoformat()
    recent = table(signed_in, call_csv(palliative_call, "funnel"), start=today)
    assert 0 < int(recent["Started"][0]) < 12


def test_the_filter_form_leads_to_the_network_and_call_dashboards(signed_in, palliative_call):
    network = palliative_call.network
    response = signed_in.get(
        reverse("dashboards:overview"), {"network": network.slug, "start": "2026-01-01"}
    )
    assert (
        response["Location"]
        == reverse("dashboards:network", args=[network.slug]) + "?start=2026-01-01"
    )
    response = signed_in.get(reverse("dashboards:overview"), {"call": palliative_call.slug})
    assert response["Location"] == reverse("dashboards:call", args=[palliative_call.slug])
    page = signed_in.get(response["Location"])
    assert page.status_code == 200
    assert (
        'href="/dashboards/calls/palliative-care-2026/data/countries.csv"' in page.content.decode()
    )


def test_wrong_filters_are_explained_beside_the_fields(signed_in, palliative_call):
    response = signed_in.get(
        reverse("dashboards:overview"), {"start": "2026-03-01", "end": "2026-02-01"}
    )
    assert response.status_code == 400
    assert "The period cannot end before it starts." in response.content.decode()
    assert 'value="2026-03-01"' in response.content.decode()
    other = CallFactory(network=Network.objects.get(slug="omics"))
    response = signed_in.get(
        reverse("dashboards:overview"),
        {"network": palliative_call.network.slug, "call": other.slug},
    )
    assert "This call belongs to another network." in response.content.decode()
    response = signed_in.get(
        reverse("dashboards:network", args=["palliative-care"]), {"start": "soon"}
    )
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    assert (
        signed_in.get(call_csv(palliative_call, "status"), {"end": "13/13/13"}).status_code == 400
    )
    assert signed_in.get(call_csv(palliative_call, "nonsense")).status_code == 404


def test_coverage_shows_countries_with_and_without_a_member(signed_in, palliative_call):
    network = palliative_call.network
    MembershipFactory(network=network, institution=InstitutionFactory(country="IE"))
    MembershipFactory(network=network, institution=InstitutionFactory(country="IE"))
    MembershipFactory(
        network=network,
        institution=InstitutionFactory(country="FR"),
        until=datetime.date(2025, 6, 1),
    )
    coverage = table(signed_in, reverse("dashboards:network_csv", args=[network.slug, "coverage"]))
    assert coverage["Ireland"] == ["IE", "2"]
    assert coverage["France"] == ["FR", "0"]  # the membership ended
    overview = table(signed_in, reverse("dashboards:overview_csv", args=["coverage"]))
    with_member, without, missing = overview[network.short_name]
    assert (with_member, int(without)) == ("1", 33)
    assert "France" in missing and "Ireland" not in missing


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_changes_ask_for_one_cache_bump_per_transaction_under_keys_of_their_own():
    from django.db import transaction

    from outbox.models import OutboxItem
    from tests.factories import ApplicationFactory, CallFactory

    call = CallFactory()
    OutboxItem.objects.all().delete()
    with transaction.atomic():
        ApplicationFactory(call=call)
        ApplicationFactory(call=call)
    with transaction.atomic():
        ApplicationFactory(call=call)
    bumps = OutboxItem.objects.filter(kind="dashboards.figures_changed")
    assert bumps.count() == 2
    assert len(set(bumps.values_list("key", flat=True))) == 2


def test_a_decision_not_yet_released_does_not_end_the_stay_in_review(signed_in, palliative_call):
    """Observers see what the applicants know: until its letter is released, a decision neither
    ends the application's time in review nor counts as a stay of its own."""
    from dashboards.models import FigureSnapshot
    from decisions.models import Letter

    (application,) = applications_bulk(palliative_call, 2)[1:]
    StatusChange.objects.filter(application=application).delete()
    start = timezone.now() - datetime.timedelta(days=10)
    StatusChange.objects.create(
        application=application, from_status="eligible", to_status="in_review", at=start
    )
    decision = StatusChange.objects.create(
        application=application,
        from_status="in_review",
        to_status="waitlisted",
        at=start + datetime.timedelta(days=6),
    )
    Application.objects.filter(pk=application.pk).update(status=S.WAITLISTED)
    letter = Letter.objects.create(
        application=application, decision=decision, outcome="waitlisted", subject="s", body="b"
    )
    cache.clear()
    stages = table(signed_in, call_csv(palliative_call, "stages"))
    assert stages["In review"] == ["1", "10.0"]
    assert stages["Waitlisted"] == ["0", "–"]

    letter.status, letter.released_at = "released", timezone.now()
    letter.save()
    FigureSnapshot.objects.all().delete()  # computed afresh (the refresh is tested elsewhere)
    cache.clear()
    stages = table(signed_in, call_csv(palliative_call, "stages"))
    assert stages["In review"] == ["1", "6.0"]
    assert stages["Waitlisted"] == ["1", "4.0"]


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example")', "\tSUM(A1)", "\r-2+3"])
def test_a_figure_csv_neutralises_a_name_a_spreadsheet_would_read_as_a_formula(
    signed_in, palliative_call, name
):
    Network.objects.filter(pk=palliative_call.network_id).update(short_name=name)
    MembershipFactory(network=palliative_call.network, institution=InstitutionFactory(country="IE"))

    response = signed_in.get(reverse("dashboards:overview_csv", args=["coverage"]))

    cells = [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]
    assert "'" + name in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
