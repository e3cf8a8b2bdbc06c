"""The portal's own processes on the private services: gunicorn, Celery workers, beat."""

from __future__ import annotations

import signal
import sys
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.chaos.services.processes import (
    STARTUP_SECONDS,
    Process,
    ServiceError,
    tail,
    wait_for,
)


@dataclass(frozen=True)
class Topology:
    """Where the portal's cache and broker live: one Redis for both, or one each."""

    name: str
    cache_url: str
    broker_url: str


class Portal:
    """The portal's own processes on the private services: gunicorn, Celery workers, beat."""

    def __init__(self, folder: Path, env: dict[str, str], web_port: int):
        self.folder, self.web_port = folder, web_port
        self.base_env = env
        self.topology: Topology | None = None
        self.web: Process | None = None
        self.workers: list[Process] = []
        self.shape: tuple[int, int] | None = None
        self.beat: Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def env(self) -> dict[str, str]:
        return {
            **self.base_env,
            "REDIS_URL": self.topology.cache_url,
            "CELERY_BROKER_URL": self.topology.broker_url,
        }

    def use(self, topology: Topology) -> None:
        """Serve with this topology (every process restarted if it changes), with one worker
        of two pool processes and beat. The processes start side by side."""
        if topology != self.topology:
            self.stop()
            self.topology = topology
        web_ready = self._spawn_web()
        workers_ready = self._spawn_workers(1, 2)
        self.start_beat()
        web_ready()
        workers_ready()

    def start_web(self) -> None:
        self._spawn_web()()

    def _spawn_web(self) -> Callable[[], None]:
        """Start gunicorn if it is not running; what waits until it serves."""
        if self.web is not None and self.web.running:
            return lambda: None
        self.web = Process(
            "gunicorn",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "jane_portal.wsgi",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers",
                "2",
                "--threads",
                "8",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--access-logfile",
                "-",
            ],
            log=self.folder / "gunicorn.log",
            env=self.env(),
        ).start()

        def answers() -> bool:
            with urllib.request.urlopen(self.url + "/accounts/login/", timeout=5) as response:
                return response.status == 200

        def ready() -> None:
            if wait_for(answers, STARTUP_SECONDS, step=0.2) is None:
                raise ServiceError("gunicorn did not serve the portal:\n" + tail(self.web.log))

        return ready

    def start_workers(self, count: int = 1, concurrency: int = 2) -> None:
        """`count` worker processes with `concurrency` pool processes each, once all are ready;
        running workers of another shape are stopped first."""
        self._spawn_workers(count, concurrency)()

    def _spawn_workers(self, count: int, concurrency: int) -> Callable[[], None]:
        shape = (count, concurrency)
        if self.workers and all(w.running for w in self.workers) and self.shape == shape:
            return lambda: None
        self.stop_workers()
        self.shape = shape
        marks = []
        for number in range(1, count + 1):
            worker = Process(
                f"worker{number}",
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "jane_portal",
                    "worker",
                    "--pool=prefork",
                    f"--concurrency={concurrency}",
                    "--loglevel=INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    f"--hostname=chaos{number}@%h",
                ],
                log=self.folder / f"worker{number}.log",
                env=self.env(),
            )
            marks.append(worker.log_size())
            self.workers.append(worker.start())

        def ready() -> None:
            for worker, mark in zip(self.workers, marks, strict=True):
                started = wait_for(
                    lambda w=worker, m=mark: w.log_contains(" ready.", m), STARTUP_SECONDS
                )
                if started is None:
                    raise ServiceError(f"{worker.name} did not start:\n" + tail(worker.log))

        return ready

    def stop_workers(self) -> None:
        for worker in self.workers:
            worker.stop(signal.SIGTERM, seconds=20)
        self.workers = []

    def kill_workers(self) -> None:
        for worker in self.workers:
            worker.kill()
        self.workers = []

    def start_beat(self) -> None:
        if self.beat is not None and self.beat.running:
            return
        (self.folder / "beat.pid").unlink(missing_ok=True)  # left by a beat that was killed
        self.beat = Process(
            "beat",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "jane_portal",
                "beat",
                "--loglevel=INFO",
                f"--schedule={self.folder / 'beat-schedule'}",
                f"--pidfile={self.folder / 'beat.pid'}",
            ],
            log=self.folder / "beat.log",
            env=self.env(),
        ).start()

    def stop(self) -> None:
        self.stop_workers()
        for process in (self.beat, self.web):
            if process is not None:
                process.stop(signal.SIGTERM, seconds=20)
        self.web = self.beat = None
