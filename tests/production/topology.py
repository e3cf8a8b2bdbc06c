"""The production topology of `make production`, started by the same script on free ports in a
folder of its own, and what a test does to it: run manage.py in it, kill a process, stop it all.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from tests.chaos.services import ROOT, free_port, wait_for
from tests.storage.seaweedfs import free_s3_port

SCRIPT = ROOT / "scripts" / "production"
START_SECONDS = 240


class Production:
    """One run of `scripts/production` in a temporary PRODUCTION_DIR."""

    def __init__(self, settings: dict[str, str]):
        # Not pytest's tmp_path: the postgres user must reach its cluster inside (0700 there).
        self.folder = Path(tempfile.mkdtemp(prefix="jane-production-"))
        self.folder.chmod(0o755)
        self.ports = {
            "HTTP_PORT": free_port(),
            "HTTPS_PORT": free_port(),
            "POSTGRES_PORT": free_port(),
            "REDIS_PORT": free_port(),
            "S3_PORT": free_s3_port(),
        }
        self.web_ports = [free_port(), free_port()]
        self.settings = {
            "PUBLIC_HOST": "localhost",
            "WEB_PORTS": " ".join(map(str, self.web_ports)),
            **{key: str(value) for key, value in self.ports.items()},
            **settings,
        }

    @property
    def url(self) -> str:
        return f"https://localhost:{self.ports['HTTPS_PORT']}"

    @property
    def log(self) -> Path:
        return self.folder / "log" / "portal.log"

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """scripts/production with nothing of this process's environment but PATH and HOME (the
        suite's DATABASE_URL and REDIS_URL must not leak in: the script starts clean anyway)."""
        env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/root"),
            "PRODUCTION_DIR": str(self.folder),
        }
        return subprocess.run(
            ["bash", str(SCRIPT), *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self) -> None:
        created = self.run("init", *(f"{k}={v}" for k, v in self.settings.items()))
        assert created.returncode == 0, created.stderr
        started = self.run("start", timeout=START_SECONDS)
        assert started.returncode == 0, (
            f"scripts/production start failed:\n{started.stdout[-3000:]}\n{started.stderr[-3000:]}"
            f"\n--- portal.log\n{self.log_tail()}\n--- services.log\n"
            f"{self.log_tail(self.folder / 'log' / 'services.log')}"
        )

    def stop(self) -> subprocess.CompletedProcess:
        return self.run("stop", timeout=120)

    def manage_json(self, *code: str) -> dict:
        """`manage.py shell -c CODE` in the topology; the JSON its last line prints."""
        result = self.run("manage", "shell", "-c", "; ".join(code), timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    def shell(self, script: str) -> subprocess.CompletedProcess:
        """A bash script with the production env file loaded, as an operator runs docs' commands."""
        env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/root"),
            "PRODUCTION_DIR": str(self.folder),
        }
        return subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def pid(self, name: str) -> int:
        return int((self.folder / "run" / f"{name}.pid").read_text().strip())

    def kill(self, name: str) -> int:
        """kill -9 of a web instance or a worker (its main process and its children), as a crash
        or the OOM killer would; honcho's wrapper starts it again. The pid that was killed."""
        pid = self.pid(name)
        for victim in [pid, *_children(pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim, signal.SIGKILL)
        return pid

    def restarted(self, name: str, old_pid: int, seconds: float = 60) -> bool:
        def again() -> bool:
            pid = self.pid(name)
            return pid != old_pid and Path(f"/proc/{pid}").exists()

        return wait_for(again, seconds, step=0.5) is not None

    def processes(self) -> list[str]:
        """Every process whose command line names this run's folder (all of the topology's do:
        pid files, data folders, the nginx prefix)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if str(self.folder) in cmdline and int(entry.name) != os.getpid():
                found.append(f"{entry.name}: {cmdline[:160]}")
        return found

    def log_tail(self, path: Path | None = None, lines: int = 60) -> str:
        try:
            text = (path or self.log).read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def log_lines_matching(self, pattern: str) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if re.search(pattern, line)]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def wait_until(condition, seconds: float, what: str, step: float = 1.0) -> None:
    if wait_for(condition, seconds, step=step) is None:
        raise AssertionError(f"{what}: not within {seconds} s")


def now() -> float:
    return time.time()
