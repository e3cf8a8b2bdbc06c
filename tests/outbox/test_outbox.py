"""The transactional outbox: written with the change, performed once after the commit, retried
until done, given up visibly, and sent again from the admin."""

import datetime
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from networks.models import Network
from outbox.enums import OutboxStatus
from outbox.models import OutboxItem
from outbox.registry import Effect, effect_register
from outbox.relay import outbox_deliver, outbox_sweep
from outbox.services import outbox_enqueue
from tests.factories import UserFactory, staff_with_mfa

# A real effect of the tests' own, registered through the outbox's public registry: it records
# what it was asked to do, and fails while `failing` says so.
PERFORMED: list[str] = []
FAILING = {"left": 0}
ENTERED = threading.Event()
RELEASE = threading.Event()


def _perform(payload: dict) -> None:
    if payload.get("wait"):
        ENTERED.set()
        assert RELEASE.wait(30), "the test never released the effect"
    if FAILING["left"]:
        FAILING["left"] -= 1
        raise ConnectionError("the far side is down")
    PERFORMED.append(payload["name"])


effect_register("tests.record", Effect(perform=_perform))


@pytest.fixture(autouse=True)
def _reset():
    PERFORMED.clear()
    FAILING["left"] = 0
    ENTERED.clear()
    RELEASE.clear()


def items():
    """This file's items: a change elsewhere (a coordinator added to a network clears the
    public pages' cache) asks for effects of its own."""
    return OutboxItem.objects.filter(kind="tests.record")


def ask(name: str, **payload) -> None:
    outbox_enqueue(
        kind="tests.record", key=f"tests.record:{name}", payload={"name": name, **payload}
    )


@pytest.mark.django_db
def test_an_effect_asked_for_in_a_change_that_rolls_back_is_never_performed(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ask("rolled back")
        raise RuntimeError("the change fails")
    assert not OutboxItem.objects.exists()
    assert outbox_sweep() == 0
    assert PERFORMED == []


@pytest.mark.django_db
def test_an_effect_is_performed_once_after_the_commit_and_a_duplicate_finds_nothing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        ask("receipt")
        assert PERFORMED == []  # nothing before the commit
    assert PERFORMED == ["receipt"]
    key = "tests.record:receipt"
    assert not outbox_deliver(key=key)  # a duplicate copy of the task
    assert outbox_sweep() == 0
    assert PERFORMED == ["receipt"]
    item = OutboxItem.objects.get(key=key)
    assert item.status == OutboxStatus.DONE and item.attempts == 1 and item.done_at


@pytest.mark.django_db
def test_asking_again_while_pending_writes_no_second_item_and_makes_it_due_now(settings):
    settings.OUTBOX_BACKOFF_BASE = 3600
    FAILING["left"] = 1
    ask("letter")
    assert outbox_sweep() == 1  # failed: waits an hour
    item = items().get()
    assert item.status == OutboxStatus.PENDING and "far side is down" in item.last_error
    assert outbox_sweep() == 0

    ask("letter")
    assert items().count() == 1
    assert outbox_sweep() == 1
    assert PERFORMED == ["letter"]


@pytest.mark.django_db
def test_failures_wait_longer_each_time_then_the_item_is_given_up(settings):
    settings.OUTBOX_BACKOFF_BASE = 10
    settings.OUTBOX_BACKOFF_MAX = 35
    FAILING["left"] = 10
    ask("webhook")
    waits = []
    for _ in range(4):
        items().update(available_at=items().get().created_at)
        before = items().get().attempts
        outbox_sweep()
        item = items().get()
        assert item.attempts == before + 1
        waits.append(round((item.available_at - item.created_at).total_seconds() / 5) * 5)
    # 10, 20, then the ceiling of 35 s (measured from the item's creation, roughly: rounded)
    assert waits[0] == 10 and waits[1] == 20 and waits[2] == waits[3] == 35

    items().update(give_up_at=item.created_at, available_at=item.created_at)
    outbox_sweep()
    item = items().get()
    assert item.status == OutboxStatus.FAILED
    assert PERFORMED == []


@pytest.mark.django_db
def test_an_administrator_sees_failed_items_and_sends_them_again(
    client, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_RETRY_FOR = 0
    FAILING["left"] = 1
    ask("lost letter")
    outbox_sweep()
    assert items().get().status == OutboxStatus.FAILED

    client.force_login(staff_with_mfa(UserFactory(is_staff=True, is_superuser=True)))
    changelist = reverse("admin:outbox_outboxitem_changelist")
    page = client.get(changelist, {"status": OutboxStatus.FAILED})
    assert "tests.record:lost letter" in page.content.decode()
    assert "far side is down" in page.content.decode()

    settings.OUTBOX_RETRY_FOR = 3600
    item = items().get()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            changelist, {"action": "send_again", "_selected_action": [item.pk]}, follow=True
        )
    assert "1 item will be tried again now." in page.content.decode()
    item.refresh_from_db()
    assert item.status == OutboxStatus.DONE
    assert PERFORMED == ["lost letter"]


@pytest.mark.django_db
def test_coordinators_do_not_see_the_outbox(client):
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    Network.objects.get(slug="omics").coordinators.add(coordinator)
    client.force_login(staff_with_mfa(coordinator))
    ask("private")
    item = items().get()
    for url in (
        reverse("admin:outbox_outboxitem_changelist"),
        reverse("admin:outbox_outboxitem_change", args=[item.pk]),
    ):
        assert client.get(url).status_code == 403
    response = client.post(
        reverse("admin:outbox_outboxitem_changelist"),
        {"action": "send_again", "_selected_action": [item.pk]},
    )
    assert response.status_code == 403


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_relays_at_once_perform_an_item_once():
    """The first relay holds the item's row while it performs; the second skips it."""
    # Written as it stands once committed, without its kick, so that the two relays below are
    # the only ones to try it.
    OutboxItem.objects.create(
        kind="tests.record",
        key="tests.record:once",
        payload={"name": "once", "wait": True},
        give_up_at=timezone.now() + datetime.timedelta(hours=1),
    )
    results = {}

    def relay(name):
        from django.db import connection

        try:
            results[name] = outbox_deliver(key="tests.record:once")
        finally:
            connection.close()

    first = threading.Thread(target=relay, args=("first",))
    first.start()
    assert ENTERED.wait(30), "the first relay never started the effect"
    second = threading.Thread(target=relay, args=("second",))
    second.start()
    second.join(30)
    RELEASE.set()
    first.join(30)
    assert results == {"first": True, "second": False}
    assert PERFORMED == ["once"]
    assert outbox_sweep() == 0


@pytest.mark.django_db
def test_an_item_leased_by_a_relay_is_left_alone_until_its_lease_ends():
    ask("leased")
    item = items().get()
    OutboxItem.objects.filter(pk=item.pk).update(
        lease_until=timezone.now() + datetime.timedelta(seconds=20)
    )
    ask("leased")  # asked again meanwhile: still one item, still leased
    assert outbox_sweep() == 0
    assert not outbox_deliver(key=item.key)
    assert PERFORMED == []

    # The relay that held it died: once the lease ends, the next sweep performs it.
    OutboxItem.objects.filter(pk=item.pk).update(lease_until=timezone.now())
    assert outbox_sweep() == 1
    assert PERFORMED == ["leased"]
    assert items().get().status == OutboxStatus.DONE


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_asked_for_again_while_it_is_being_performed_it_is_performed_once_more():
    """A reviewer declines while the application is being routed: routing must run again."""
    OutboxItem.objects.create(
        kind="tests.record",
        key="tests.record:again",
        payload={"name": "again", "wait": True},
        give_up_at=timezone.now() + datetime.timedelta(hours=1),
    )

    def relay():
        from django.db import connection

        try:
            outbox_deliver(key="tests.record:again")
        finally:
            connection.close()

    first = threading.Thread(target=relay)
    first.start()
    assert ENTERED.wait(30), "the relay never started the effect"
    with transaction.atomic():
        ask("again")  # neither blocked by the relay nor a second item
    assert items().count() == 1
    RELEASE.set()
    first.join(30)
    item = items().get()
    assert PERFORMED == ["again"] and item.status == OutboxStatus.PENDING
    assert outbox_sweep() == 1
    assert PERFORMED == ["again", "again"]
    assert items().get().status == OutboxStatus.DONE
