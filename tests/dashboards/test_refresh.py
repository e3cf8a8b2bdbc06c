"""The dashboards' figures are stored, served however stale with their time, and recomputed in
the background only when a change alters them: one refresh at a time, spaced out."""

import threading

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from applications.enums import Actor, ApplicationStatus
from applications.models import Application
from applications.services.drafting import answers_save
from applications.services.transitions import application_transition
from dashboards.models import FigureSnapshot
from dashboards.services import REFRESH_LOCK, figures_refresh
from outbox.models import OutboxItem
from tests.applications.conftest import (  # noqa: F401 (fixtures)
    answers_for,
    applicant,
    call,
    draft,
    institution,
)
from tests.applications.test_submission_faults import NOBODY_LISTENS
from tests.dashboards.conftest import applications_bulk

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def eligible(client, a_call) -> str:
    response = client.get(reverse("dashboards:call_csv", args=[a_call.slug, "status"]))
    assert response.status_code == 200
    rows = dict(line.split(",", 1) for line in response.content.decode().splitlines()[1:])
    return rows["Eligible"]


def page(client, a_call) -> str:
    response = client.get(reverse("dashboards:call", args=[a_call.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_answer_autosave_leaves_the_figures_current(
    client,
    observer,
    draft,  # noqa: F811 (the fixture)
    applicant,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    client.force_login(observer)
    assert "Figures as of" in page(client, draft.call)
    computed = FigureSnapshot.objects.get().computed_at
    OutboxItem.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        answers_save(
            application=draft, user=applicant, values=answers_for(draft.call), loaded_revisions={}
        )
    assert not OutboxItem.objects.filter(kind="dashboards.figures_changed").exists()
    assert FigureSnapshot.objects.get().computed_at == computed
    assert "Newer changes are being counted" not in page(client, draft.call)


def test_a_status_change_marks_the_figures_stale_and_the_next_refresh_shows_it(
    client, observer, palliative_call, django_capture_on_commit_callbacks, settings
):
    client.force_login(observer)
    submitted = applications_bulk(palliative_call, 2)[1]
    assert eligible(client, palliative_call) == "0"
    assert figures_refresh(force=True, missing=True) >= 1  # as beat does: every dashboard
    settings.DASHBOARD_REFRESH_SECONDS = 3600  # a refresh just ran: the next one must wait
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application=Application.objects.get(pk=submitted.pk),
            to_status=S.ELIGIBLE,
            actor=None,
            actor_kind=Actor.SYSTEM,
        )
    # The stored figures are served meanwhile, said to be stale.
    assert eligible(client, palliative_call) == "0"
    assert "Newer changes are being counted" in page(client, palliative_call)
    settings.DASHBOARD_REFRESH_SECONDS = 0
    assert figures_refresh() >= 1
    assert eligible(client, palliative_call) == "1"
    assert "Newer changes are being counted" not in page(client, palliative_call)
    assert figures_refresh() == 0  # nothing changed since: nothing computed


def _other_connection():
    db = settings.DATABASES["default"]
    return psycopg2.connect(
        dbname=connection.settings_dict["NAME"],
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"] or 5432,
    )


def test_a_refresh_while_another_runs_computes_nothing(client, observer, palliative_call):
    client.force_login(observer)
    applications_bulk(palliative_call, 2)
    page(client, palliative_call)
    computed = FigureSnapshot.objects.get().computed_at
    other = _other_connection()
    try:
        with other.cursor() as cursor:  # another worker's refresh holds the lock
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", REFRESH_LOCK)
            assert cursor.fetchone()[0]
        assert figures_refresh(force=True, missing=True) == 0
        assert FigureSnapshot.objects.get().computed_at == computed
        with other.cursor() as cursor:  # that refresh ends
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", REFRESH_LOCK)
    finally:
        other.close()
    assert figures_refresh(force=True, missing=True) >= 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_refreshes_compute_each_dashboard_once():
    from django.db import connections

    from dashboards.services import figures_mark_changed
    from tests.factories import CallFactory

    CallFactory()
    assert figures_refresh(force=True, missing=True) >= 1
    figures_mark_changed()
    stale = FigureSnapshot.objects.count()
    barrier, counts = threading.Barrier(2), []

    def refresh():
        try:
            barrier.wait()
            counts.append(figures_refresh(force=True, missing=True))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refresh) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, stale]


def test_the_page_says_when_its_figures_are_from_in_the_scopes_zone(
    client, observer, palliative_call
):
    client.force_login(observer)
    applications_bulk(palliative_call, 2)
    overview = client.get(reverse("dashboards:overview")).content.decode()
    assert "Figures as of" in overview and f"({settings.DEFAULT_CALL_TIME_ZONE})" in overview
    palliative_call.time_zone = "Europe/Lisbon"
    palliative_call.save(update_fields=["time_zone"])
    text = page(client, palliative_call)
    assert "Figures as of" in text and "(Europe/Lisbon)" in text


def test_with_redis_down_the_page_still_shows_its_figures(
    client, observer, palliative_call, settings
):
    client.force_login(observer)
    applications_bulk(palliative_call, 12)
    figures_refresh(force=True, missing=True)
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": NOBODY_LISTENS}}
    text = page(client, palliative_call)
    assert "Figures as of" in text and "Applications by status" in text
    assert eligible(client, palliative_call) != ""
