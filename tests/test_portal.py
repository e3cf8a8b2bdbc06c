"""The portal as a whole: the real services, languages, and the pages every visitor sees."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from jane_portal.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_suite_runs_on_postgresql_and_redis():
    assert connection.vendor == "postgresql"
    cache.set("portal-check", {"networks": 7}, timeout=30)
    assert cache.get("portal-check") == {"networks": 7}


def test_celery_app_reads_django_settings_and_finds_app_tasks():
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.worker_prefetch_multiplier == 1
    # Without a broker the portal runs tasks in-process; with one, it leaves them to workers.
    assert celery_app.conf.task_always_eager is (not settings.CELERY_BROKER_URL)


def test_language_switcher_turns_the_portal_french(client):
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": reverse("calls:list")}
    )
    assert response.status_code == 302
    page = client.get(reverse("calls:list")).content.decode()
    assert '<html lang="fr">' in page
    assert "Appels à manifestation d’intérêt" in page or "Appels à manifestation d'intérêt" in page


def test_pages_offer_a_skip_link_and_label_every_filter(client):
    page = client.get(reverse("calls:list")).content.decode()
    assert 'href="#main"' in page
    assert 'id="main"' in page
    for field_id in ["id_network", "id_status", "language-select"]:
        assert re.search(rf'<label\s+for="{field_id}"', page), field_id


def test_unknown_address_gives_the_portals_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
