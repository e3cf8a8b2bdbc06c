"""The reading of beat's and the workers' log that the system test's "exactly once" rests on:
it must see a second beat, a message executed twice, and a message lost without excuse."""

import datetime
import time

import pytest

from tests.production.periodic import exactly_once_problems, ledger_read

IDS = [f"{n:08d}-0000-0000-0000-000000000000" for n in range(4)]
TASK = "outbox.tasks.outbox_sweep_task"
UTC = datetime.UTC
KILLED_AT = datetime.datetime(2026, 12, 3, 14, 0, 30, tzinfo=UTC)


def beat(second: int, id_: str) -> str:
    """Celery's own format, in local time (TZ is UTC in these tests: see the fixture)."""
    at = f"2026-12-03 14:00:{second:02d},000"
    return (
        f"14:00:{second:02d} beat.1    | [{at}: INFO/MainProcess] Scheduler: Sending due task "
        f"outbox-sweep ({TASK})\n"
        f"14:00:{second:02d} beat.1    | [{at}: DEBUG/MainProcess] {TASK} sent. id->{id_}\n"
    )


def worker(name: str, second: int, id_: str, *, done: bool = True) -> str:
    at = f"2026-12-03 14:00:{second:02d},100"
    lines = f"14:00:{second:02d} {name}.1 | [{at}: INFO/MainProcess] Task {TASK}[{id_}] received\n"
    if done:
        lines += (
            f"14:00:{second:02d} {name}.1 | [{at}: INFO/ForkPoolWorker-1] Task {TASK}[{id_}] "
            "succeeded in 0.01s: 0\n"
        )
    return lines


def worker_json(name: str, second: int, id_: str) -> str:
    """LOG_FORMAT=json's line (observability/logs.py), its timestamp in UTC."""
    at = f"2026-12-03T14:00:{second:02d}.100000Z"
    return "".join(
        f'14:00:{second:02d} {name}.1 | {{"event": "Task {TASK}[{id_}] {what}", '
        f'"level": "info", "logger": "celery", "timestamp": "{at}"}}\n'
        for what in ("received", "succeeded in 0.01s: 0")
    )


@pytest.fixture(autouse=True)
def _local_time_is_utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def problems(log: str) -> tuple[list[str], dict]:
    return exactly_once_problems(
        ledger_read(log),
        intervals={"outbox-sweep": 10},
        killed_worker="worker1",
        killed_at=KILLED_AT,
        read_at=datetime.datetime(2026, 12, 3, 14, 0, 59, tzinfo=UTC),
    )


def test_one_beat_each_message_once_passes():
    log = beat(10, IDS[0]) + worker("worker1", 10, IDS[0]) + beat(20, IDS[1])
    log += worker("worker2", 20, IDS[1])
    assert problems(log) == ([], {"executed once": 2})


def test_a_second_beat_is_seen():
    log = beat(10, IDS[0]) + beat(11, IDS[1]) + worker("worker1", 10, IDS[0])
    log += worker("worker2", 11, IDS[1])
    found, _counts = problems(log)
    assert found == ["outbox-sweep sent 1.00 s after the one before: a second beat?"]


def test_a_message_executed_twice_is_seen():
    log = beat(10, IDS[0]) + worker("worker1", 10, IDS[0]) + worker("worker2", 11, IDS[0])
    found, _counts = problems(log)
    assert found == [f"outbox-sweep [{IDS[0]}] executed 2 times"]


def test_only_the_killed_workers_unfinished_message_is_excused():
    log = beat(20, IDS[0]) + worker("worker1", 20, IDS[0], done=False)  # before the kill
    log += beat(40, IDS[1]) + worker("worker2", 40, IDS[1], done=False)  # a survivor's: lost
    found, counts = problems(log)
    assert counts == {"lost with the killed worker": 1}
    [problem] = found
    assert problem.startswith(
        f"outbox-sweep [{IDS[1]}] sent at 2026-12-03 14:00:40+00:00 and never executed"
    )
    # Taken by the killed worker before it logged anything: still in the broker's "unacked" hash.
    log += beat(50, IDS[2])
    found, counts = exactly_once_problems(
        ledger_read(log),
        intervals={"outbox-sweep": 10},
        killed_worker="worker1",
        killed_at=KILLED_AT,
        read_at=datetime.datetime(2026, 12, 3, 14, 0, 59, tzinfo=UTC),
        unacknowledged={IDS[1], IDS[2]},
    )
    assert counts == {"lost with the killed worker": 2}
    assert len(found) == 1 and IDS[1] in found[0]  # worker2 took it: unacknowledged, no excuse


def test_a_message_nobody_received_just_after_the_kill_is_excused_and_later_not():
    # 30.5 s: half a second after the kill, taken off the queue by the dying worker's connection.
    log = beat(30, IDS[0]).replace("14:00:30,000", "14:00:30,500") + beat(40, IDS[1])
    found, counts = problems(log)
    assert counts == {"popped by the dying worker's connection": 1}
    [problem] = found  # ten seconds after the kill, nobody can have taken it that way
    assert IDS[1] in problem and "by nobody" in problem


def test_json_lines_count_the_same():
    log = beat(10, IDS[0]) + worker_json("worker1", 10, IDS[0]) + beat(20, IDS[1])
    log += worker_json("worker2", 20, IDS[1]) + worker_json("worker1", 21, IDS[1])
    assert problems(log) == ([f"outbox-sweep [{IDS[1]}] executed 2 times"], {"executed once": 2})
