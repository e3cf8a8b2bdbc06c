"""Processes of a fault run: free ports, waiting for a condition, and a process in a group of its
own that `stop_everything` ends."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]  # the repository
STARTUP_SECONDS = 60


def postgres_bin() -> Path:
    """Debian's newest PostgreSQL server binaries (scripts/ensure-services installs them)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parts[-3])
    )
    if not found:
        raise RuntimeError("no PostgreSQL in /usr/lib/postgresql: apt-get install postgresql")
    return found[-1].parent


_started: list[Process] = []  # every process of this run, for `stop_everything`
_started_lock = threading.Lock()


class ServiceError(RuntimeError):
    """A private service did not start or stop as asked; the message ends with its log."""


def free_port() -> int:
    """A TCP port nobody listens on right now on 127.0.0.1 (the kernel picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], bool], seconds: float, step: float = 0.1) -> float | None:
    """Poll `condition` until it holds; the seconds it took, or None once `seconds` ran out."""
    started = time.monotonic()
    while True:
        try:
            if condition():
                return time.monotonic() - started
        except Exception:  # a service still coming up answers with errors; keep polling
            pass
        if time.monotonic() - started >= seconds:
            return None
        time.sleep(step)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class Process:
    """One command in a process group of its own, its output in a log file."""

    def __init__(self, name: str, argv: list[str], *, log: Path, env=None, cwd=ROOT, user=None):
        self.name, self.argv, self.log, self.env, self.cwd, self.user = (
            name,
            argv,
            log,
            env,
            cwd,
            user,
        )
        self.popen: subprocess.Popen | None = None

    def start(self) -> Process:
        if self.running:
            return self
        with open(self.log, "ab") as log:
            log.write(f"\n--- {time.strftime('%H:%M:%S')} start {self.name}\n".encode())
            log.flush()
            self.popen = subprocess.Popen(
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=self.cwd,
                user=self.user,
                start_new_session=True,  # its own process group: signalled as a whole
            )
        with _started_lock:
            _started.append(self)
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, number: int) -> None:
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, number)

    def stop(self, number: int = signal.SIGTERM, seconds: float = 20) -> None:
        """Ask the group to stop with `number`; SIGKILL whatever is left after `seconds`."""
        if self.popen is None:
            return
        if self.popen.poll() is None:
            self.signal_group(number)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=seconds)
        # The leader may be gone while its children (pool processes) linger.
        self.signal_group(signal.SIGKILL)
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired as error:
            raise ServiceError(f"{self.name} survived SIGKILL") from error

    def kill(self) -> None:
        """kill -9 of the whole group, as a crash or an OOM killer would."""
        self.stop(signal.SIGKILL, seconds=10)

    def log_contains(self, text: str, since: int = 0) -> bool:
        try:
            with open(self.log, "rb") as log:
                log.seek(since)
                return text.encode() in log.read()
        except OSError:
            return False

    def log_size(self) -> int:
        try:
            return self.log.stat().st_size
        except OSError:
            return 0


def stop_everything() -> None:
    """Stop every process group this run started, newest first; never anything else."""
    with _started_lock:
        processes = list(reversed(_started))
    for process in processes:
        try:
            process.stop(seconds=5)
        except Exception as error:  # keep going: the others must stop too
            print(f"chaos: could not stop {process.name}: {error}", file=sys.stderr)
