"""The seven faults, each measured from the outside: what applicants saw over HTTP, what the SMTP
sink received, and the final state in the database. Nothing here calls the portal's tasks or
reads its queues' contents, except fault 6, which copies whatever lies on the broker.

A fault's row counts:
- items: the submissions (or letters) the fault puts at risk;
- lost: an applicant turned away by a fault that must not fail them, a submitted application
  whose receipt (or, in fault 4, whose reviewers) never came, a released letter never received;
- duplicated: every email received more than once, every reviewer place filled twice;
- misreported: an error page for an application that was submitted, a success page for one
  that was not;
- refused: a clear error page for an application that was not submitted, which is a correct
  answer only while the database itself is down (fault 7);
- seconds to recover: from the fault's end until everything due had arrived, or "—" if some
  never did within the profile's bound.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, connections

from reviews.models import Assignment
from tests.chaos.browser import RELOADS, REQUEST_SECONDS
from tests.chaos.faults.bench import Bench
from tests.chaos.rows import REVIEWS_PER_APPLICATION, Row
from tests.chaos.services import wait_for


class Faults(Bench):
    """The seven faults, in order (`all`)."""

    def redis_down(self, row: Row) -> None:
        """1. One Redis, cache and broker, is down while the applicants submit."""
        self.submit_with_broker_down(row, "redis-down", single_redis=True)

    def broker_down(self, row: Row) -> None:
        """2. The broker is down, the cache (another Redis) up, while the applicants submit."""
        self.submit_with_broker_down(row, "broker-down", single_redis=False)

    def submit_with_broker_down(self, row: Row, name: str, *, single_redis: bool) -> None:
        self.stack.serve(single_redis=single_redis)
        call = self.world.call(name)
        attempts = self.open_forms(self.world.drafts(call, self.profile.applicants))
        self.stack.broker.stop()
        try:
            outcomes = self.submit(attempts)
        finally:
            self.stack.broker.start()
        ended = time.monotonic()
        self.recover(row, self.delivered(call, attempts), self.profile.recover_seconds, ended)
        self.judge_submissions(row, call, attempts, outcomes)
        self.other_duplicates(row, [call], lambda mail: call.title in mail.subject)

    def broker_flushed(self, row: Row) -> None:
        """3. With the workers stopped, the applicants submit; the broker's data is flushed and
        the broker restarted before any worker took the work; then the workers start."""
        self.stack.serve()
        call = self.world.call("broker-flushed")
        attempts = self.open_forms(self.world.drafts(call, self.profile.applicants))
        self.stack.portal.stop_workers()
        outcomes = self.submit(attempts)
        broker = self.stack.broker.client()
        queued = sum(broker.llen(key) for key in broker.scan_iter() if broker.type(key) == b"list")
        broker.flushall()
        self.stack.broker.stop()
        self.stack.broker.start()
        self.stack.portal.start_workers()
        ended = time.monotonic()
        row.notes.append(f"{queued} messages flushed")
        self.recover(row, self.delivered(call, attempts), self.profile.recover_seconds, ended)
        self.judge_submissions(row, call, attempts, outcomes)
        self.other_duplicates(row, [call], lambda mail: call.title in mail.subject)

    def worker_killed(self, row: Row) -> None:
        """4. The workers are killed (kill -9, pool processes and all) while they route the
        submissions; new ones start at once."""
        self.stack.serve()
        needed = REVIEWS_PER_APPLICATION
        call = self.world.call("worker-killed", reviews_per_application=needed)
        count = self.profile.routed
        attempts = self.open_forms(self.world.drafts(call, count))
        with ThreadPoolExecutor(max_workers=1) as background:
            submitting = background.submit(self.submit, attempts)

            def routing_under_way() -> bool:
                close_old_connections()
                routed = (
                    Assignment.objects.filter(application__call=call)
                    .values("application")
                    .distinct()
                    .count()
                )
                return routed >= max(1, count // 5)

            if wait_for(routing_under_way, 60, step=0.05) is None:
                row.notes.append("routing had not begun 60 s after the first submission")
            close_old_connections()
            routed = (
                Assignment.objects.filter(application__call=call)
                .values("application")
                .distinct()
                .count()
            )
            self.stack.portal.kill_workers()
            row.notes.append(f"killed with {routed}/{count} applications routed")
            self.stack.portal.start_workers()
            ended = time.monotonic()
            outcomes = submitting.result(timeout=REQUEST_SECONDS * (RELOADS + 2) + count)
        self.recover(
            row,
            self.delivered(call, attempts, reviews_needed=needed),
            self.profile.routing_recover_seconds,
            ended,
        )
        self.judge_submissions(row, call, attempts, outcomes, reviews_needed=needed)
        self.other_duplicates(row, [call], lambda mail: call.title in mail.subject)

    def smtp_down(self, row: Row) -> None:
        """5. The mail server is down when the letters are released, and stays down longer
        than today's retries last."""
        self.stack.serve()
        call = self.world.call("smtp-down")
        letters = self.world.letters_in_draft(call, self.profile.letters, seconds=60)
        self.settle()  # the setup's receipts are in before the mail server goes
        self.sink.stop()
        try:
            letters = self.release(letters)
            self.log(f"  SMTP down for {self.profile.smtp_down_seconds:.0f} s")
            time.sleep(self.profile.smtp_down_seconds)  # the outage itself
        finally:
            self.sink.start()
        ended = time.monotonic()
        wanted = len(letters)
        self.recover(
            row,
            lambda: sum(1 for n in self.letters_received(letters).values() if n) >= wanted,
            self.profile.recover_seconds,
            ended,
        )
        self.judge_letters(row, letters)

    def duplicated_tasks(self, row: Row) -> None:
        """6. Every message on the broker is delivered twice, to two workers at once: the
        receipts of the applicants' submissions and the released letters."""
        self.stack.serve()
        letters_call = self.world.call("duplicates-letters")
        letters = self.world.letters_in_draft(
            letters_call, self.profile.duplicated_letters, seconds=60
        )
        call = self.world.call("duplicates")
        attempts = self.open_forms(self.world.drafts(call, self.profile.applicants))
        self.settle()
        self.stack.portal.stop_workers()
        outcomes = self.submit(attempts)
        letters = self.release(letters)
        held = self.hold_queues()
        self.stack.portal.start_workers(count=2, concurrency=1)
        copied = self.release_twice(held)
        ended = time.monotonic()
        row.notes.append(f"{copied} messages on the broker, each delivered twice")
        receipts_and_letters = self.delivered(call, attempts)
        self.recover(
            row,
            lambda: (
                receipts_and_letters()
                and all(self.letters_received(letters)[(x.recipient, x.subject)] for x in letters)
            ),
            self.profile.recover_seconds,
            ended,
        )
        self.judge_submissions(row, call, attempts, outcomes)
        self.judge_letters(row, letters)
        subjects = {letter.subject for letter in letters}
        self.other_duplicates(
            row,
            [call, letters_call],
            lambda mail: call.title in mail.subject or mail.subject in subjects,
        )

    def postgres_restarted(self, row: Row) -> None:
        """7. PostgreSQL is stopped (fast shutdown: sessions cut) and started again while the
        applicants submit, their presses spread over four seconds."""
        self.stack.serve()
        call = self.world.call("postgres-restart")
        attempts = self.open_forms(self.world.drafts(call, self.profile.applicants))
        spread = 4.0
        offsets = [spread * number / len(attempts) for number in range(len(attempts))]
        with ThreadPoolExecutor(max_workers=1) as background:
            submitting = background.submit(self.submit, attempts, offsets)
            time.sleep(1.0)  # the fault's schedule: a quarter of the presses come first
            connections.close_all()
            self.stack.postgres.stop()
            down = time.monotonic()
            try:
                time.sleep(1.5)
            finally:
                self.stack.postgres.start()
            ended = time.monotonic()
            row.notes.append(f"database down {ended - down:.1f} s")
            outcomes = submitting.result(timeout=REQUEST_SECONDS * (RELOADS + 2) + spread)
        connections.close_all()
        self.recover(row, self.delivered(call, attempts), self.profile.recover_seconds, ended)
        self.judge_submissions(row, call, attempts, outcomes, refusal_allowed=True)
        self.other_duplicates(row, [call], lambda mail: call.title in mail.subject)

    def all(self) -> list[tuple[str, Callable[[Row], None]]]:
        """The faults in order, each with the name its row goes by."""
        return [
            ("1 Redis down (cache and broker)", self.redis_down),
            ("2 broker down, cache up", self.broker_down),
            ("3 broker restarted, queue flushed", self.broker_flushed),
            ("4 worker kill -9 mid-routing", self.worker_killed),
            (
                f"5 SMTP down {self.profile.smtp_down_seconds:.0f} s at letter release",
                self.smtp_down,
            ),
            ("6 two copies of every task at once", self.duplicated_tasks),
            ("7 PostgreSQL restarted during submissions", self.postgres_restarted),
        ]
