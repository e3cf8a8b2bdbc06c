"""Routing and decision letters through a real Celery worker process on the Redis broker,
against the test database.

The worker is a separate process started here; a worker that cannot start, or a broker that is
down, fails the test.
"""

import os
import subprocess
import sys
import threading
import time

import pytest
import redis
from django.conf import settings
from django.db import connection
from kombu import pools as kombu_pools

from applications.enums import ApplicationStatus
from applications.models import Application
from applications.services.drafting import application_start
from applications.services.submission import application_submit
from decisions.enums import LetterStatus
from decisions.models import Letter
from decisions.services.letters import letter_release
from jane_portal.celery import app as celery_app
from reviews.models import Assignment, ReviewerProfile
from tests.applications.conftest import complete, person
from tests.decisions.conftest import approve
from tests.factories import InstitutionFactory
from workflow.decision import application_decide

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# A broker database of its own for each parallel test process: a worker must never take the
# tasks of a test running against another process's database.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
BROKER = os.environ.get(
    "TEST_CELERY_BROKER_URL", f"redis://127.0.0.1:6379/{3 + int(_WORKER.removeprefix('gw') or 0)}"
)
STARTUP_SECONDS = 60
ROUTED_WITHIN_SECONDS = 30


@pytest.fixture
def celery_worker_process():
    """A worker process on the Redis broker, using the database this test runs on."""
    redis.Redis.from_url(BROKER).flushdb()
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
        "CELERY_BROKER_URL": BROKER,
        # The files this test's requests store (tests/conftest.py: a folder per test), which
        # a job may read or write ("Download my data" archives the uploaded documents).
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SECRET_KEY": "worker-test",
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "jane_portal.settings",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "jane_portal",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--hostname=routing-test@%h",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    ready = threading.Event()

    def read():
        for line in process.stdout:
            output.append(line)
            if " ready." in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(STARTUP_SECONDS):
        process.kill()
        pytest.fail("The Celery worker did not start:\n" + "".join(output[-40:]))

    # This process now queues tasks on the broker instead of running them in-process. Celery
    # keeps its connection pools once made, so they are dropped to be made anew for this broker.
    eager, broker_url = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    _drop_connection_pools()
    celery_app.conf.update(task_always_eager=False, broker_url=BROKER)
    try:
        yield output
    finally:
        _drop_connection_pools()
        celery_app.conf.update(task_always_eager=eager, broker_url=broker_url)
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _drop_connection_pools():
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    kombu_pools.reset()  # kombu's own registry of producer pools, by connection


def test_a_submitted_application_is_routed_by_the_worker_within_seconds(
    celery_worker_process, call
):
    call.reviews_per_application = 2
    call.save()
    institution = InstitutionFactory(name="Ospedale di Bari", country="IT")
    applicant = person("rita@bari.example", institution)
    same_house = ReviewerProfile.objects.create(
        user=person("house@review.example"), country="FR", institution=institution, languages=["en"]
    )
    full = ReviewerProfile.objects.create(
        user=person("full@review.example"), country="FR", default_capacity=0, languages=["en"]
    )
    free = [
        ReviewerProfile.objects.create(
            user=person(f"free{n}@review.example"), country="DE", languages=["en"]
        )
        for n in range(3)
    ]
    application = application_start(
        call=call, institution=institution, user=applicant, tier_requested="full_member"
    )
    complete(application, applicant)

    started = time.monotonic()
    application_submit(application=application, user=applicant)  # queued on commit
    while time.monotonic() - started < ROUTED_WITHIN_SECONDS:
        if Assignment.objects.filter(application=application).count() >= 2:
            break
        time.sleep(0.2)
    elapsed = time.monotonic() - started

    assigned = set(
        Assignment.objects.filter(application=application).values_list("reviewer", flat=True)
    )
    log = "".join(celery_worker_process)
    assert len(assigned) == 2, f"not routed within {ROUTED_WITHIN_SECONDS} s:\n{log[-4000:]}"
    assert assigned <= {reviewer.pk for reviewer in free}
    assert same_house.pk not in assigned  # a conflict of interest
    assert full.pk not in assigned  # no capacity
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert "outbox_deliver_task" in log
    print(f"routed by the worker in {elapsed:.1f} s")


def wait_for(condition, seconds: float = ROUTED_WITHIN_SECONDS) -> bool:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_released_decision_letter_is_sent_by_the_worker_once(celery_worker_process, call):
    """Decision letters are notifications: the worker sends them (to its console backend here)."""
    institution = InstitutionFactory(name="Ospedale di Lecce", country="IT")
    applicant = person("sara@lecce.example", institution)
    application = application_start(
        call=call, institution=institution, user=applicant, tier_requested="full_member"
    )
    complete(application, applicant)
    application_submit(application=application, user=applicant)
    assert wait_for(
        lambda: Application.objects.get(pk=application.pk).status == ApplicationStatus.ELIGIBLE
    ), "".join(celery_worker_process)[-4000:]

    coordinator = person("carla@jane.example")
    call.network.coordinators.add(coordinator)
    application.refresh_from_db()
    application_decide(
        application=application,
        user=coordinator,
        outcome=ApplicationStatus.ACCEPTED,
        reason="A strong palliative care service.",
        override=True,
        override_reason="Decided before the reviews for the worker's test.",
    )
    letter = Letter.objects.get(application=application)
    assert letter.status == LetterStatus.DRAFT
    time.sleep(1)
    assert "has been accepted" not in "".join(celery_worker_process)  # nothing before release

    approve(letter)  # by the decision board
    letter_release(letter=letter, user=coordinator)  # queued on commit
    assert wait_for(lambda: Letter.objects.get(pk=letter.pk).status == LetterStatus.SENT), "".join(
        celery_worker_process
    )[-4000:]
    letter.refresh_from_db()
    assert letter.attempts == 1
    assert "sara@lecce.example" in letter.recipients
    log = "".join(celery_worker_process)
    assert "outbox_deliver_task" in log
    assert log.count(f"Subject: {letter.subject}") == 1


def test_a_burst_of_submissions_is_routed_by_the_worker_in_passes_over_the_call(
    celery_worker_process, call
):
    """Issue 12: each routing item routes every application of its call then waiting, so a
    burst is routed in a few passes; the rules hold for all of them."""
    call.reviews_per_application = 2
    call.save()
    reviewers = [
        ReviewerProfile.objects.create(
            user=person(f"burst{n}@review.example"), country="DE", languages=["en"]
        )
        for n in range(6)
    ]  # room for 6 x 5 = 30 places: 24 needed
    applications = []
    for n in range(12):
        institution = InstitutionFactory(name=f"Burst hospital {n}", country="IT")
        applicant = person(f"burst{n}@hospital.example", institution)
        application = application_start(
            call=call, institution=institution, user=applicant, tier_requested="full_member"
        )
        complete(application, applicant)
        application_submit(application=application, user=applicant)  # queued on commit
        applications.append(application)

    def all_routed():
        return Assignment.objects.filter(application__in=applications).count() >= 24

    assert wait_for(all_routed), "".join(celery_worker_process)[-4000:]
    pairs = list(
        Assignment.objects.filter(application__in=applications).values_list(
            "application", "reviewer"
        )
    )
    assert len(pairs) == len(set(pairs)) == 24
    per_reviewer = {r.pk: sum(1 for _, x in pairs if x == r.pk) for r in reviewers}
    assert max(per_reviewer.values()) <= 5
    assert all(
        Application.objects.get(pk=a.pk).status == ApplicationStatus.IN_REVIEW for a in applications
    )
