"""The faults' common steps: applicants' browsers and forms, what arrived, and the judging of
each row; and, for fault 6, copying every message on the broker."""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.db import close_old_connections

from applications.enums import ApplicationStatus
from applications.models import Application, Submission
from decisions.models import Letter
from decisions.services.letters import letter_release
from reviews.enums import ACTIVE_ASSIGNMENT
from reviews.models import Assignment
from tests.chaos.browser import RELOADS, REQUEST_SECONDS, Browser, open_submit_form, press_submit
from tests.chaos.rows import Profile, Row
from tests.chaos.services import wait_for
from tests.chaos.world import PASSWORD

SUBMITTING_AT_ONCE = 20


class FaultError(RuntimeError):
    """The suite could not stage the fault (not a finding about the portal)."""


@dataclass
class Attempt:
    """An applicant with the submit form of their draft open in their browser."""

    user: object
    application: Application
    browser: Browser
    token: str


class Bench:
    """What every fault does on a running stack (`tests.chaos.stack.Stack`): open applicants'
    forms, submit them, wait for what is due, and judge what arrived."""

    def __init__(self, stack, profile: Profile, log: Callable[[str], None]):
        self.stack, self.profile, self.log = stack, profile, log
        self.world = stack.world
        self.sink = stack.sink
        self.browsers: dict[int, Browser] = {}
        self.signed_in: set[int] = set()

    # --- applicants over HTTP ------------------------------------------------------------

    def browser(self, user) -> Browser:
        if user.pk not in self.browsers:
            number = len(self.browsers)
            address = f"127.0.{1 + number // 200}.{10 + number % 200}"
            self.browsers[user.pk] = Browser(self.stack.portal.url, address)
        return self.browsers[user.pk]

    def open_forms(self, pairs) -> list[Attempt]:
        """Each applicant signs in (once a run) and opens their submit form, all at once."""

        def ready(pair) -> Attempt:
            user, application = pair
            browser = self.browser(user)
            public_id = str(application.public_id)
            token = open_submit_form(browser, public_id) if user.pk in self.signed_in else None
            if token is None:
                page = browser.sign_in(user.email, PASSWORD)
                if not browser.signed_in(page):
                    raise FaultError(f"{user.email} could not sign in: {page.status} {page.url}")
                self.signed_in.add(user.pk)
                token = open_submit_form(browser, public_id)
            if token is None:
                raise FaultError(f"{user.email} could not open the submit form of {public_id}")
            return Attempt(user, application, browser, token)

        for user, _application in pairs:
            self.browser(user)  # here, not in the threads: each gets an address of its own
        with ThreadPoolExecutor(max_workers=8) as pool:
            attempts = list(pool.map(ready, pairs, timeout=REQUEST_SECONDS * 4 + len(pairs) * 2))
        self.log(f"  {len(attempts)} applicants signed in, each with a complete draft's form open")
        return attempts

    def submit(self, attempts: list[Attempt], offsets: list[float] | None = None):
        """Every applicant presses "Submit" (after their offset in seconds); their outcomes."""
        offsets = offsets or [0.0] * len(attempts)

        def press(item):
            attempt, offset = item
            time.sleep(offset)
            return press_submit(attempt.browser, str(attempt.application.public_id), attempt.token)

        limit = max(offsets) + REQUEST_SECONDS * (RELOADS + 2) + len(attempts)
        with ThreadPoolExecutor(max_workers=SUBMITTING_AT_ONCE) as pool:
            outcomes = list(pool.map(press, zip(attempts, offsets, strict=True), timeout=limit))
        self.log(f"  {len(outcomes)} applicants pressed Submit")
        return outcomes

    # --- what arrived ----------------------------------------------------------------------

    def receipts(self, call) -> Counter:
        """Receipts per recipient: the emails whose subject names this fault's call."""
        return Counter(mail.recipient for mail in self.sink.mails() if call.title in mail.subject)

    def letters_received(self, letters) -> Counter:
        wanted = {(letter.recipient, letter.subject) for letter in letters}
        return Counter(
            (mail.recipient, mail.subject)
            for mail in self.sink.mails()
            if (mail.recipient, mail.subject) in wanted
        )

    def other_duplicates(self, row: Row, calls, counted: Callable) -> None:
        """Count identical emails about these calls received more than once, besides those
        `counted` already (receipts and letters): reviewers' assignment notices, for one."""
        titles = [call.title for call in calls]
        copies = Counter(
            mail.identity
            for mail in self.sink.mails()
            if any(t in mail.subject or t in mail.text for t in titles) and not counted(mail)
        )
        twice = Counter(
            subject for (_to, subject, _text), n in copies.items() for _ in range(n - 1)
        )
        row.duplicated += sum(twice.values())
        row.notes += [f"{n} extra copies of “{subject}”" for subject, n in twice.items()]

    def settle(self) -> None:
        """Wait until no email has arrived for the quiet period: late copies come in."""
        quiet = self.profile.quiet_seconds

        def quiet_now() -> bool:
            mails = self.sink.mails()
            return not mails or time.monotonic() - mails[-1].at >= quiet

        wait_for(quiet_now, quiet * 5, step=0.2)

    def submitted_state(self, call) -> dict[int, tuple[str, int, int]]:
        """Per application of the call: its status, submitted versions and active reviewers."""
        close_old_connections()
        versions = Counter(
            Submission.objects.filter(application__call=call).values_list(
                "application_id", flat=True
            )
        )
        reviewers = Counter(
            Assignment.objects.filter(
                application__call=call, status__in=ACTIVE_ASSIGNMENT
            ).values_list("application_id", flat=True)
        )
        return {
            pk: (status, versions[pk], reviewers[pk])
            for pk, status in Application.objects.filter(call=call).values_list("pk", "status")
        }

    def delivered(self, call, attempts, reviews_needed: int = 0) -> Callable[[], bool]:
        """True once every submitted application has its receipt (and its reviewers)."""
        emails = {attempt.application.pk: attempt.user.email for attempt in attempts}

        def check() -> bool:
            state = self.submitted_state(call)
            receipts = self.receipts(call)
            return all(
                receipts[emails[pk]] >= 1 and reviewers >= reviews_needed
                for pk, (status, _versions, reviewers) in state.items()
                if pk in emails and status != ApplicationStatus.DRAFT
            )

        return check

    def judge_submissions(
        self,
        row: Row,
        call,
        attempts: list[Attempt],
        outcomes,
        *,
        refusal_allowed: bool = False,
        reviews_needed: int = 0,
    ) -> None:
        state = self.submitted_state(call)
        receipts = self.receipts(call)
        row.items += len(attempts)
        pages = Counter(outcome.describe() for outcome in outcomes)
        submitted = missing_receipt = unrouted = turned_away = 0
        duplicated_before = row.duplicated
        for attempt, outcome in zip(attempts, outcomes, strict=True):
            status, versions, reviewers = state[attempt.application.pk]
            received = receipts[attempt.user.email]
            if status != ApplicationStatus.DRAFT:
                submitted += 1
                if versions != 1:
                    row.notes.append(f"{attempt.application.public_id}: {versions} versions")
                if not outcome.success:
                    row.misreported += 1
                short_of_reviewers = reviews_needed and reviewers < reviews_needed
                missing_receipt += received == 0
                unrouted += bool(short_of_reviewers)
                row.lost += received == 0 or bool(short_of_reviewers)
                row.duplicated += max(received - 1, 0)
                if reviews_needed:
                    row.duplicated += max(reviewers - reviews_needed, 0)
            else:
                if outcome.success or received:
                    row.misreported += 1  # told it went through, yet it did not
                elif refusal_allowed and outcome.clear_error:
                    row.refused += 1
                elif refusal_allowed:
                    row.misreported += 1  # no answer at all is no clear error
                else:
                    row.lost += 1  # turned away by a fault that must not fail them
                    turned_away += 1
        row.notes.append(
            "pages: " + ", ".join(f"{count}× {kind}" for kind, count in sorted(pages.items()))
        )
        reloads = sum(outcome.reloads for outcome in outcomes)
        if reloads:
            row.notes.append(f"{reloads} reloads of a page that failed after the redirect")
        row.notes.append(
            f"submitted {submitted}/{len(attempts)}"
            + (f" ({turned_away} turned away)" if turned_away else "")
            + f"; receipts missing for {missing_receipt}"
            + f", extra copies {row.duplicated - duplicated_before}"
            + (f"; short of reviewers: {unrouted}" if reviews_needed else "")
        )

    def judge_letters(self, row: Row, letters) -> None:
        received = self.letters_received(letters)
        row.items += len(letters)
        for letter in letters:
            count = received[(letter.recipient, letter.subject)]
            row.lost += count == 0
            row.duplicated += max(count - 1, 0)
        close_old_connections()
        statuses = Counter(
            Letter.objects.filter(pk__in=[letter.pk for letter in letters]).values_list(
                "status", flat=True
            )
        )
        row.notes.append(
            "letters: " + ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
        )

    def recover(self, row: Row, condition: Callable[[], bool], seconds: float, ended: float):
        """Wait for delivery after the fault ended at `ended`; keep the time it took."""
        self.log(f"  fault over; waiting up to {seconds:.0f} s for delivery")
        waited = wait_for(condition, seconds, step=0.25)
        row.recovered_in = None if waited is None else time.monotonic() - ended
        if waited is None:
            row.notes.append(f"not all delivered {seconds:.0f} s after the fault ended")
        self.settle()

    def release(self, letters) -> list:
        """Release the letters as a coordinator does (the service behind the admin action)."""
        released = []
        for letter in letters:
            letter_release(letter=letter, user=self.world.coordinator)
            letter.recipient = letter.application.representative.email
            released.append(letter)
        return released

    # --- fault 6's copies ------------------------------------------------------------------

    def hold_queues(self) -> dict[bytes, list[bytes]]:
        """Take every queue (every Redis list) off the broker, messages oldest first."""
        broker = self.stack.broker.client()
        held = {}
        for key in list(broker.scan_iter()):
            if broker.type(key) == b"list":
                pipe = broker.pipeline()  # MULTI/EXEC: nothing published in between is lost
                pipe.lrange(key, 0, -1)
                pipe.delete(key)
                messages, _deleted = pipe.execute()
                held[key] = list(reversed(messages))  # kombu pushes left and pops right
        return held

    def release_twice(self, held: dict[bytes, list[bytes]]) -> int:
        """Put each message back twice, side by side, so two workers take the two at once."""
        broker = self.stack.broker.client()
        pipe = broker.pipeline()
        count = 0
        for key, messages in held.items():
            for message in messages:
                pipe.lpush(key, message, _copy(message))
                count += 1
        pipe.execute()
        return count


def _copy(message: bytes) -> bytes:
    """The same message under a delivery tag of its own, as a second publication would be."""
    try:
        envelope = json.loads(message)
        envelope["properties"]["delivery_tag"] = str(uuid.uuid4())
    except (ValueError, KeyError, TypeError):
        return message
    return json.dumps(envelope).encode()
