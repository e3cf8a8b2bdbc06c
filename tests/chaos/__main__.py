"""Run the fault suite: `python -m tests.chaos --profile fast|full` (`make chaos-fast`, `make
chaos`). Prints one row per fault; exits 1 if any row lost, duplicated or misreported anything,
2 if the suite itself could not run.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import signal
import sys
import threading
import time
import traceback

# A run's own limit on top of each fault's: whatever happens, everything started is stopped.
RUN_SECONDS = {"fast": 12 * 60, "full": 45 * 60}


class FaultTimeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise FaultTimeout


def _on_terminate(signum, frame):
    raise SystemExit(128 + signum)


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} chaos: {message}", file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.chaos", description=__doc__)
    parser.add_argument("--profile", choices=["fast", "full"], default="fast")
    parser.add_argument(
        "--only", help="comma-separated fault numbers to run, e.g. 2,5 (default: all)"
    )
    parser.add_argument("--json", help="also write the rows as JSON to this file")
    parser.add_argument(
        "--fault-seconds", type=float, help="each fault's overall limit (default: the profile's)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the run's folder (logs, data) and say where"
    )
    args = parser.parse_args()

    from tests.chaos.rows import PROFILES, Row, table
    from tests.chaos.stack import Stack

    profile = PROFILES[args.profile]
    if args.fault_seconds:
        profile = dataclasses.replace(profile, fault_seconds=args.fault_seconds)
    wanted = {int(n) for n in args.only.split(",")} if args.only else set(range(1, 8))
    signal.signal(signal.SIGTERM, _on_terminate)
    signal.signal(signal.SIGALRM, _on_alarm)
    started = time.monotonic()
    stack = Stack(keep=args.keep)

    def give_up():
        log(f"the run passed its {RUN_SECONDS[profile.name]} s limit: stopping everything")
        stack.stop()
        os._exit(2)

    watchdog = threading.Timer(RUN_SECONDS[profile.name], give_up)
    watchdog.daemon = True
    watchdog.start()
    rows: list[Row] = []
    try:
        log(f"profile {profile.name}; services in {stack.folder}")
        stack.start(reviewers=profile.reviewers)
        log(f"database migrated, portal on {stack.portal.url} ({time.monotonic() - started:.0f} s)")
        from tests.chaos.faults import Faults  # needs Django, set up by stack.start

        faults = Faults(stack, profile, log)
        for number, (name, fault) in enumerate(faults.all(), start=1):
            if number not in wanted:
                continue
            log(f"fault {name}")
            row = Row(name)
            resent_before = len(stack.sink.received()) - len(stack.sink.mails())
            begun = time.monotonic()
            signal.setitimer(signal.ITIMER_REAL, profile.fault_seconds)
            try:
                fault(row)
            except FaultTimeout:
                row.error = f"did not finish within {profile.fault_seconds:.0f} s"
            except Exception as error:
                traceback.print_exc()
                row.error = f"{type(error).__name__}: {error}"
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            row.seconds = time.monotonic() - begun
            row.resent = len(stack.sink.received()) - len(stack.sink.mails()) - resent_before
            rows.append(row)
            log(
                f"fault {number}: items {row.items}, lost {row.lost}, duplicated "
                f"{row.duplicated}, misreported {row.misreported} ({row.seconds:.0f} s)"
            )
            try:
                stack.serve()  # back to the starting state for the next fault
            except Exception as error:
                log(f"could not restore the services after fault {number}: {error}")
                break
    except Exception:
        traceback.print_exc()
        return 2
    finally:
        watchdog.cancel()
        stack.stop()
        if args.keep:
            log(f"logs and data kept in {stack.folder}")
        log(f"done in {time.monotonic() - started:.0f} s")
        if rows:
            print(table(rows), flush=True)
        if args.json:
            with open(args.json, "w") as out:
                json.dump(
                    {
                        "profile": profile.name,
                        "seconds": round(time.monotonic() - started, 1),
                        "rows": [row.as_dict() for row in rows],
                    },
                    out,
                    indent=2,
                )
    return 0 if rows and all(row.passed for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
