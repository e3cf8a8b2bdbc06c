"""A change goes through, and says the truth, whatever happens outside the database: with the
broker down, with Redis (cache and broker) down; what it asked for follows once they are back.

The unreachable services are real: a port on this machine where nothing listens.
"""

import pytest
from django.core import mail
from django.urls import reverse
from kombu import pools as kombu_pools

from applications.enums import ApplicationStatus
from jane_portal.celery import app as celery_app
from outbox.enums import OutboxStatus
from outbox.models import OutboxItem
from outbox.relay import outbox_sweep
from tests.applications.conftest import complete

pytestmark = pytest.mark.django_db

NOBODY_LISTENS = "redis://127.0.0.1:9/0"


def _drop_connection_pools():
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    kombu_pools.reset()


@pytest.fixture
def broker_down(settings):
    """Tasks are published to a broker that does not answer, as in production with it down."""
    settings.OUTBOX_KICK_PAUSE = 0  # every kick tries, and fails
    eager, broker_url = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    _drop_connection_pools()
    celery_app.conf.update(task_always_eager=False, broker_url=NOBODY_LISTENS)
    yield
    _drop_connection_pools()
    celery_app.conf.update(task_always_eager=eager, broker_url=broker_url)


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": NOBODY_LISTENS}}


def submit_in_the_browser(client, draft, applicant, capture):
    complete(draft, applicant)
    client.force_login(applicant)
    with capture(execute=True):
        response = client.post(reverse("applications:submit", args=[draft.public_id]), follow=True)
    draft.refresh_from_db()
    return response


def test_with_the_broker_down_the_submission_goes_through_and_the_receipt_follows(
    broker_down, client, draft, applicant, django_capture_on_commit_callbacks
):
    page = submit_in_the_browser(client, draft, applicant, django_capture_on_commit_callbacks)
    assert page.status_code == 200
    assert "Your application has been submitted (version 1)" in page.content.decode()
    assert "The receipt will follow by email" in page.content.decode()
    assert draft.status == ApplicationStatus.SUBMITTED
    assert mail.outbox == []
    assert "Your receipt is being prepared" in page.content.decode()
    pending = set(OutboxItem.objects.values_list("kind", "status"))
    assert ("applications.receipt", OutboxStatus.PENDING) in pending
    assert ("applications.route", OutboxStatus.PENDING) in pending

    outbox_sweep()  # what a worker's sweep does once the broker is back: the receipt is made,
    outbox_sweep()  # and its email, asked for once it was made, goes with the next sweep
    assert [message.to for message in mail.outbox] == [[applicant.email]]
    # The same Message-ID on every attempt: a copy sent again is the same message to a mailbox.
    [receipt] = mail.outbox
    message_id = receipt.message()["Message-ID"]
    assert message_id.startswith("<jane.submission_receipt.") and message_id.endswith(">")
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.ELIGIBLE  # routed: the eligibility check ran
    outbox_sweep()
    assert len(mail.outbox) == 1


def test_with_redis_down_the_submission_goes_through_and_everything_follows(
    broker_down, cache_down, client, draft, applicant, django_capture_on_commit_callbacks
):
    page = submit_in_the_browser(client, draft, applicant, django_capture_on_commit_callbacks)
    assert page.status_code == 200
    assert "Your application has been submitted (version 1)" in page.content.decode()
    assert draft.status == ApplicationStatus.SUBMITTED
    # The overview, the dashboards' figures and every other page still answer.
    assert client.get(reverse("applications:mine")).status_code == 200

    # Redis still down: the emails, routing and the dashboards' stale mark need only the
    # database and are done (the refresh it asks for waits for beat, pages show stored figures).
    outbox_sweep()  # the receipt is made; its email follows with the next sweep
    outbox_sweep()
    assert len(mail.outbox) == 1
    figures = OutboxItem.objects.get(kind="dashboards.figures_changed")
    assert figures.status == OutboxStatus.DONE
