"""A call's waiting applications routed together in one pass (issue 12), against the real
database: every guarantee of routing one at a time, for many at once."""

import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection, connections

from applications.enums import ApplicationStatus
from applications.models import Application
from applications.services.drafting import application_start
from applications.services.submission import application_submit
from audit.models import AuditEntry
from notifications.models import SentNotification
from outbox.enums import OutboxStatus
from outbox.models import OutboxItem
from outbox.relay import outbox_deliver, outbox_sweep
from reviews.models import Assignment, ReviewerProfile, RoutingEvent
from tests.applications.conftest import complete, person
from tests.factories import InstitutionFactory
from tests.reviews.reviewers import reviewer
from workflow.routing import PASS_CHUNK, call_route_waiting

pytestmark = pytest.mark.django_db


def submitted(call, count: int, k: int = 1) -> list[Application]:
    """`count` applications of distinct institutions to a call of `k` reviews each, submitted
    and waiting for routing (their outbox items written, not performed: no on-commit callback
    runs in these tests unless captured)."""
    call.reviews_per_application = k
    call.save()
    applications = []
    for number in range(count):
        institution = InstitutionFactory(name=f"Hospital {number}", country="IT")
        applicant = person(f"applicant{number}@hospital.example", institution)
        application = application_start(
            call=call, institution=institution, user=applicant, tier_requested="full_member"
        )
        complete(application, applicant)
        application_submit(application=application, user=applicant)
        applications.append(application)
    return applications


def assert_routed_once_within_the_rules(applications, k: int) -> None:
    pairs = list(
        Assignment.objects.filter(application__in=applications).values_list(
            "application_id", "reviewer_id"
        )
    )
    assert len(pairs) == len(set(pairs)) == k * len(applications)
    per_application = Counter(application for application, _ in pairs)
    assert set(per_application.values()) == {k}
    load = Counter(reviewer for _, reviewer in pairs)
    capacity = dict(ReviewerProfile.objects.values_list("pk", "default_capacity"))
    assert all(load[r] <= capacity[r] for r in load), "a reviewer above capacity"
    institutions = dict(Application.objects.values_list("pk", "institution_id"))
    homes = dict(ReviewerProfile.objects.values_list("pk", "institution_id"))
    assert all(institutions[a] != homes[r] for a, r in pairs), "a conflict of interest"
    # One audit entry per assignment made, one routing line (at least) per application.
    assert AuditEntry.objects.filter(action="assignment.created").count() == len(pairs)
    assert set(
        RoutingEvent.objects.filter(application__in=applications).values_list(
            "application_id", flat=True
        )
    ) == {a.pk for a in applications}


def test_a_pass_routes_every_waiting_application_of_the_call_in_order(call):
    applications = submitted(call, PASS_CHUNK + 5, k=2)
    conflicted = reviewer("home@review.example", institution=applications[0].institution)
    # Room for everyone's two places but no more: the capacities are what spreads them.
    pool = [reviewer(f"r{n}@review.example", capacity=6) for n in range(9)]

    routing = call_route_waiting(call_id=call.pk)

    assert routing.chunks == 2  # the call's lock taken twice for 25 applications, not 25 times
    assert not routing.failed
    assert len(routing.outcomes) == len(applications)
    assert_routed_once_within_the_rules(applications, 2)
    assert not Assignment.objects.filter(reviewer=conflicted, application=applications[0]).exists()
    for application in applications:
        application.refresh_from_db()
        assert application.status == ApplicationStatus.IN_REVIEW
        assert application.awaiting_routing_since is None
    # Each reviewer is invited through the outbox, one email per assignment.
    invitations = OutboxItem.objects.filter(key__startswith="email:assignment:")
    assert invitations.count() == 2 * len(applications)
    assert {r.pk for r in [*pool, conflicted]} >= set(
        Assignment.objects.values_list("reviewer", flat=True)
    )


def test_a_second_or_duplicate_pass_routes_nothing_twice(call):
    applications = submitted(call, 3)
    for n in range(4):
        reviewer(f"r{n}@review.example")
    call_route_waiting(call_id=call.pk)
    before = set(Assignment.objects.values_list("application", "reviewer", "pk"))

    again = call_route_waiting(call_id=call.pk)
    outbox_sweep()  # each application's own routing item: a no-op now

    assert again.outcomes == {} and again.chunks == 0
    assert set(Assignment.objects.values_list("application", "reviewer", "pk")) == before
    assert_routed_once_within_the_rules(applications, 1)
    routes = OutboxItem.objects.filter(kind="applications.route")
    assert set(routes.values_list("status", flat=True)) == {OutboxStatus.DONE}


def test_the_first_routing_item_performed_routes_the_whole_call(
    call, django_capture_on_commit_callbacks
):
    applications = submitted(call, 4)
    for n in range(3):
        reviewer(f"r{n}@review.example", capacity=2)
    first = OutboxItem.objects.filter(kind="applications.route").order_by("pk").first()

    with django_capture_on_commit_callbacks(execute=True):
        outbox_deliver(key=first.key)  # the first application's item only

    first.refresh_from_db()
    assert first.status == OutboxStatus.DONE
    assert_routed_once_within_the_rules(applications, 1)
    # The reviewers' emails went out once each, through the outbox.
    sent = SentNotification.objects.filter(kind="assignment", sent_at__isnull=False)
    assert sent.count() == 4
    assert len([m for m in mail.outbox if "review an application" in m.subject]) == 4


def test_a_failure_on_one_application_keeps_the_others_and_it_is_tried_again(call, settings):
    settings.OUTBOX_BACKOFF_BASE = 0  # the failed item due again at once
    applications = submitted(call, 5)
    for n in range(5):
        reviewer(f"r{n}@review.example")
    broken = applications[2]
    # A real failure in the database, for this application only: its assignments are refused.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_assignment() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'refused for the test'; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            f"CREATE TRIGGER refuse BEFORE INSERT ON {Assignment._meta.db_table} FOR EACH ROW "
            f"WHEN (NEW.application_id = {broken.pk}) EXECUTE FUNCTION refuse_assignment()"
        )

    outbox_sweep()

    others = [a for a in applications if a != broken]
    assert_routed_once_within_the_rules(others, 1)
    broken.refresh_from_db()
    assert broken.awaiting_routing_since is not None
    assert not broken.assignments.exists()
    assert broken.status == ApplicationStatus.SUBMITTED  # its eligibility undone with it
    item = OutboxItem.objects.get(key=f"applications.route:{broken.pk}")
    assert item.status == OutboxStatus.PENDING and "refused for the test" in item.last_error

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER refuse ON {Assignment._meta.db_table}")
    outbox_sweep()

    item.refresh_from_db()
    assert item.status == OutboxStatus.DONE
    assert_routed_once_within_the_rules(applications, 1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_passes_never_assign_twice_nor_above_capacity(call):
    applications = submitted(call, 2 * PASS_CHUNK, k=2)
    for n in range(10):
        reviewer(f"r{n}@review.example", capacity=8)
    start = threading.Barrier(3)
    results, errors = [], []

    def one_pass():
        try:
            start.wait()
            results.append(call_route_waiting(call_id=call.pk))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_pass) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors
    routed = [pk for result in results for pk in result.outcomes]
    assert sorted(routed) == sorted(a.pk for a in applications)  # each by exactly one pass
    assert_routed_once_within_the_rules(applications, 2)
