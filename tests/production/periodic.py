"""What beat sent and what the workers did with it, read from honcho's log of the portal's
processes (each line "HH:MM:SS name.1 | celery's own line").

beat (at DEBUG) logs each periodic message it sends with its id; each worker logs, per id, the
message received, and its end: succeeded, failed, raised, or discarded (a periodic message waits
at most its interval: `expires`, jane_portal/settings/tasks.py). What "exactly once" means here:

- one beat: each entry is sent once per tick, never faster than its interval (two beats would
  send it twice as often);
- no message is executed twice, by one worker or two;
- every message sent is executed once, unless it expired unexecuted, or it was in the hands of
  the worker killed with kill -9 (received before the kill and not finished, or still in the
  broker's "unacked" hash, which is where a message taken and not acknowledged waits: the broker
  hands it out again only after the visibility timeout, by when it has expired; that tick's work
  is done by the next tick's message), or it was sent within a moment after the kill and nobody
  received it (the dead worker's BRPOP was still waiting at Redis, which handed the message to a
  connection whose process had gone: kombu records a message as unacknowledged only once the
  client has read it, so such a message is gone, and the next tick does its work), or it was sent
  in the last seconds before the log was read.
"""

from __future__ import annotations

import datetime
import itertools
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

PREFIX = re.compile(r"^\d\d:\d\d:\d\d (?P<process>[\w-]+)\.\d+\s+\| (?P<text>.*)$")
CELERY = re.compile(r"^\[(?P<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}): \w+/[\w-]+\] (?P<msg>.*)$")
SENDING = re.compile(r"Scheduler: Sending due task (?P<entry>\S+) \((?P<task>\S+)\)")
SENT = re.compile(r"(?P<task>\S+) sent\. id->(?P<id>[0-9a-f-]{36})")
RECEIVED = re.compile(r"Task (?P<task>\S+)\[(?P<id>[0-9a-f-]{36})\] received")
FINISHED = re.compile(r"Task (?P<task>\S+)\[(?P<id>[0-9a-f-]{36})\] (succeeded|failed|raised)")
DISCARDED = re.compile(r"Discarding revoked task: (?P<task>\S+)\[(?P<id>[0-9a-f-]{36})\]")


@dataclass
class Sent:
    entry: str
    task: str
    id: str
    at: datetime.datetime


@dataclass
class Ledger:
    sent: list[Sent] = field(default_factory=list)
    received: dict[str, list[tuple[str, datetime.datetime]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    finished: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    discarded: set[str] = field(default_factory=set)

    def sends_of(self, entry: str) -> list[Sent]:
        return [sent for sent in self.sent if sent.entry == entry]


def _record(text: str) -> tuple[datetime.datetime, str] | None:
    """When and what a process logged: a JSON line (LOG_FORMAT=json, its timestamp in UTC) or
    Celery's own format (local time); the instant is in UTC either way."""
    if text.startswith("{"):
        try:
            record = json.loads(text)
            at = datetime.datetime.fromisoformat(record["timestamp"].replace("Z", "+00:00"))
        except (ValueError, KeyError, TypeError):
            return None
        return at.astimezone(datetime.UTC), str(record.get("event", ""))
    celery = CELERY.match(text)
    if not celery:
        return None
    at = datetime.datetime.strptime(celery["at"], "%Y-%m-%d %H:%M:%S,%f").astimezone()
    return at.astimezone(datetime.UTC), celery["msg"]


def ledger_read(text: str) -> Ledger:
    ledger = Ledger()
    pending_entry: dict[str, str] = {}  # task -> the entry beat announced last for it
    for line in text.splitlines():
        prefixed = PREFIX.match(line)
        if not prefixed:
            continue
        record = _record(prefixed["text"])
        if record is None:
            continue
        (at, message), process = record, prefixed["process"]
        if process == "beat":
            if sending := SENDING.search(message):
                pending_entry[sending["task"]] = sending["entry"]
            elif sent := SENT.search(message):
                entry = pending_entry.pop(sent["task"], sent["task"])
                ledger.sent.append(Sent(entry, sent["task"], sent["id"], at))
            continue
        if received := RECEIVED.search(message):
            ledger.received[received["id"]].append((process, at))
        elif finished := FINISHED.search(message):
            ledger.finished[finished["id"]].append(process)
        elif discarded := DISCARDED.search(message):
            ledger.discarded.add(discarded["id"])
    return ledger


def unacknowledged_ids(broker) -> set[str]:
    """The ids of the messages a worker took from the Redis broker and never acknowledged: kombu
    keeps each in the "unacked" hash until the ack, and hands it out again after the visibility
    timeout. A worker killed with kill -9 leaves there what it held, logged "received" or not."""
    ids = set()
    for raw in broker.hvals("unacked"):
        message = json.loads(raw)[0]
        ids.add(message.get("headers", {}).get("id") or message["properties"]["correlation_id"])
    return ids


def _held_by_the_killed_worker(id_, ledger, unacknowledged, killed_worker, killed_at) -> bool:
    """Received by it before the kill, or left unacknowledged with no survivor having taken it."""
    received = ledger.received.get(id_, [])
    if any(process == killed_worker and at <= killed_at for process, at in received):
        return True
    return id_ in unacknowledged and all(process == killed_worker for process, _at in received)


def exactly_once_problems(
    ledger: Ledger,
    *,
    intervals: dict[str, float],
    killed_worker: str,
    killed_at: datetime.datetime,
    read_at: datetime.datetime,
    unacknowledged: set[str] = frozenset(),
    in_flight_seconds: float = 5.0,
    dying_seconds: float = 2.0,
) -> tuple[list[str], dict[str, int]]:
    """What breaks "exactly once" (empty: nothing), and the counts behind the verdict."""
    problems = []
    for entry, interval in intervals.items():
        sends = ledger.sends_of(entry)
        gaps = [
            (later.at - earlier.at).total_seconds() for earlier, later in itertools.pairwise(sends)
        ]
        if gaps and min(gaps) < 0.8 * interval:
            problems.append(f"{entry} sent {min(gaps):.2f} s after the one before: a second beat?")
    counts = defaultdict(int)
    for sent in ledger.sent:
        executions = ledger.finished.get(sent.id, [])
        if len(executions) > 1:
            problems.append(f"{sent.entry} [{sent.id}] executed {len(executions)} times")
        if executions:
            counts["executed once"] += 1
        elif sent.id in ledger.discarded:
            counts["expired unexecuted"] += 1
        elif _held_by_the_killed_worker(sent.id, ledger, unacknowledged, killed_worker, killed_at):
            counts["lost with the killed worker"] += 1
        elif (
            not ledger.received.get(sent.id)
            and 0 <= (sent.at - killed_at).total_seconds() <= dying_seconds
        ):
            counts["popped by the dying worker's connection"] += 1
        elif (read_at - sent.at).total_seconds() <= in_flight_seconds:
            counts["in flight at the end"] += 1
        else:
            received = ledger.received.get(sent.id, [])
            problems.append(
                f"{sent.entry} [{sent.id}] sent at {sent.at} and never executed (received: "
                f"{received or 'by nobody'}; {killed_worker} killed at {killed_at})"
            )
    return problems, dict(counts)
