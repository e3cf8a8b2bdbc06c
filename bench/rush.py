"""Deadline day: many distinct applicants submit complete applications over HTTP at once.

    .venv/bin/python bench/rush.py            # 500 applicants, 100 connections, within 60 s
    .venv/bin/python bench/rush.py --quick    # 100 applicants, 20 connections, within 20 s

A private stack on free ports (tests/chaos/services): PostgreSQL, Redis (cache and broker), an
SMTP sink, the portal under gunicorn and one Celery worker with beat embedded. Before the clock
starts, every applicant gets an account, an institution, a complete draft (through the
services, as the fault suite's World makes them) and a session. Then each submit is one
applicant opening the submit page (for its CSRF token) and pressing Submit; submits start at an
even pace over the window, at most `--concurrency` at a time (a pace the server cannot keep
shows as more connections waiting, so as latency). `--window 0` sends them all at once.

Printed: errors, p50/p95/p99 of the POST (the submit itself, up to its redirect) and of the
whole journey (form, POST, the page it leads to), throughput, the time from the last submit
until every application has its k reviewers (polled in the database), then the checks: one
version and one receipt each, no reviewer over capacity, the audit chain verifies.
Benchmarks are not tests: nothing here fails a build on a time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.rush_stack import RushStack

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REQUEST_SECONDS = 90


@dataclass
class Journey:
    """One applicant's submit: timings in seconds, and what went wrong if anything did."""

    form: float = 0.0
    post: float = 0.0
    page: float = 0.0
    started: float = 0.0
    ended: float = 0.0
    error: str = ""
    statuses: list[int] = field(default_factory=list)


def _request(port: int, method: str, path: str, cookies: dict, body: str | None = None):
    """One request on a fresh connection (as a browser behind a proxy would open), timed."""
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://127.0.0.1:{port}{path}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_SECONDS)
    started = time.monotonic()
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
        elapsed = time.monotonic() - started
        return response.status, response.getheader("Location") or "", text, elapsed
    finally:
        connection.close()


def submit_once(port: int, session: tuple[str, str], path: str) -> Journey:
    """Open the submit page, press Submit, open the page the redirect leads to."""
    cookie_name, session_key = session
    cookies = {cookie_name: session_key}
    journey = Journey(started=time.monotonic())
    try:
        status, location, text, journey.form = _request(port, "GET", path, cookies)
        journey.statuses.append(status)
        token = CSRF_FIELD.search(text)
        if status != 200 or token is None:
            journey.error = f"submit page {status} {location}".strip()
            return journey
        status, location, _text, journey.post = _request(
            port, "POST", path, cookies, f"csrfmiddlewaretoken={token.group(1)}"
        )
        journey.statuses.append(status)
        if status != 302 or not location:
            journey.error = f"submit {status}"
            return journey
        status, _location, _text, journey.page = _request(port, "GET", location, cookies)
        journey.statuses.append(status)
        if status != 200:
            journey.error = f"page after submit {status}"
    except (OSError, http.client.HTTPException) as error:
        journey.error = type(error).__name__
    finally:
        journey.ended = time.monotonic()
    return journey


def rush(port: int, targets: list[tuple[tuple[str, str], str]], concurrency: int, window: float):
    """Every target submitted once: starts paced evenly over `window`, `concurrency` at most."""
    journeys: list[Journey | None] = [None] * len(targets)
    pace = window / len(targets) if window else 0.0
    lock = threading.Lock()
    position = iter(range(len(targets)))
    began = time.monotonic()

    def connection() -> None:
        while True:
            with lock:
                index = next(position, None)
            if index is None:
                return
            delay = began + index * pace - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            session, path = targets[index]
            journeys[index] = submit_once(port, session, path)

    threads = [threading.Thread(target=connection, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return journeys, began


def _quantiles(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return f"{cuts[49]:.2f} / {cuts[94]:.2f} / {cuts[98]:.2f} s"


def report(journeys: list[Journey], began: float, window: float) -> float:
    """Print the client's side; return the moment the last submit was answered."""
    errors = Counter(j.error for j in journeys if j.error)
    done = [j for j in journeys if not j.error]
    posts = [j.post for j in journeys if j.post]
    last_post = max(j.started + j.form + j.post for j in journeys)
    span = last_post - began
    print(f"  submits: {len(journeys)}, paced over {window:.0f} s" if window else "  all at once")
    print(f"  errors: {sum(errors.values())}" + (f" ({dict(errors)})" if errors else ""))
    print(f"  submit (POST to its redirect) p50 / p95 / p99: {_quantiles(posts)}")
    print(f"  submit page (GET, CSRF) p50 / p95 / p99: {_quantiles([j.form for j in journeys])}")
    print(f"  page after submit p50 / p95 / p99: {_quantiles([j.page for j in done])}")
    print(
        "  whole journey p50 / p95 / p99: " + _quantiles([j.form + j.post + j.page for j in done])
    )
    print(f"  throughput: {len(posts) / span:.1f} submits/s (last submit answered at {span:.1f} s)")
    return last_post


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 applicants, 20 connections")
    parser.add_argument("--applicants", type=int)
    parser.add_argument("--concurrency", type=int)
    parser.add_argument("--window", type=float, help="seconds over which submits start (0: all)")
    parser.add_argument("--reviews", type=int, default=2, help="k reviewers per application")
    parser.add_argument(
        "--gunicorn",
        choices=["sync", "gthread"],
        default="gthread",
        help="sync: 4 workers; gthread: 2 workers x 8 threads (the default)",
    )
    parser.add_argument("--routing-wait", type=float, default=300.0)
    parser.add_argument("--keep", action="store_true", help="keep the run's folder")
    args = parser.parse_args()
    applicants = args.applicants or (100 if args.quick else 500)
    concurrency = args.concurrency or (20 if args.quick else 100)
    window = args.window if args.window is not None else (20.0 if args.quick else 60.0)

    stack = RushStack(keep=args.keep, gunicorn=args.gunicorn)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        print(f"rush: {applicants} applicants, {concurrency} connections, window {window:.0f} s,")
        print(f"  k={args.reviews}, gunicorn {stack.gunicorn_shape}, one Celery worker with beat")
        print(f"  load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        stack.start()
        seeded = time.monotonic()
        targets = stack.seed(applicants, args.reviews)
        seeded = time.monotonic() - seeded
        print(f"  seeded {applicants} complete drafts with sessions in {seeded:.0f} s")
        stack.serve()
        sampler = stack.lock_sampler()
        journeys, began = rush(stack.web_port, targets, concurrency, window)
        samples = sampler.stop()
        last = report(journeys, began, window)
        for event in sorted({event for sample in samples for event in sample}):
            waiting = [sample[event] for sample in samples]
            print(
                f"  sessions waiting on a {event} lock: mean {statistics.mean(waiting):.1f},"
                f" max {max(waiting)} ({len(samples)} samples)"
            )
        routed_in, receipts_in = stack.wait_settled(args.reviews, args.routing_wait)
        if routed_in is None:
            print(f"  routed: NOT all within {args.routing_wait:.0f} s ({stack.routing_state()})")
        else:
            after = routed_in - last
            print(f"  routed with {args.reviews} reviewers each: {after:.1f} s after the last one")
        print(
            "  receipts emailed: "
            + (f"{receipts_in - last:.1f} s after the last submit" if receipts_in else "NOT all")
        )
        print(f"  load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        problems = stack.check(args.reviews)
        for line in problems:
            print(f"  CHECK FAILED: {line}")
        if not problems:
            print("  checks: one version and one receipt each, no reviewer over capacity, audit OK")
        return 1 if problems or any(j.error for j in journeys) else 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
