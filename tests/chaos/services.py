"""The private services of a fault run, each a real process that the run starts, breaks and stops:
PostgreSQL, Redis, an SMTP sink, gunicorn serving the portal, Celery workers and beat.

Nothing here touches the shared PostgreSQL (5432) or Redis (6379): every port is a free one on
127.0.0.1, every data directory lies in the run's own folder, and every process is started in a
process group of its own, which is what `stop` and `kill` signal. `stop_everything` ends all the
groups this module started and nothing else.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import hashlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import redis
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


def _postgres_bin() -> Path:
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


class Postgres:
    """A PostgreSQL cluster of its own in `folder`, on 127.0.0.1 only; fsync is off, as it may
    be for data thrown away after the run."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        self.data = folder / "data"
        self.bin = _postgres_bin()
        # initdb refuses root: as root the cluster belongs to the postgres user, else to us.
        self.user = "postgres" if os.geteuid() == 0 else None
        self.process = Process(
            "postgres",
            [
                str(self.bin / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={folder}",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200",
            ],
            log=folder.parent / "postgres.log",
            user=self.user,
        )

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def init(self, database: str) -> None:
        self.folder.mkdir(parents=True)
        if self.user:
            shutil.chown(self.folder, self.user, self.user)
        result = subprocess.run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            ],
            user=self.user,
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode:
            raise ServiceError(f"initdb failed:\n{result.stdout}\n{result.stderr}")
        self.start()
        connection = psycopg2.connect(self.url("postgres"), connect_timeout=5)
        connection.autocommit = True
        connection.cursor().execute(f'CREATE DATABASE "{database}"')
        connection.close()

    def answers(self) -> bool:
        try:
            psycopg2.connect(self.url("postgres"), connect_timeout=2).close()
        except psycopg2.OperationalError:
            return False
        return True

    def start(self) -> None:
        self.process.start()
        if wait_for(self.answers, STARTUP_SECONDS, step=0.1) is None:
            raise ServiceError("PostgreSQL did not start:\n" + tail(self.process.log))

    def stop(self) -> None:
        # SIGINT is PostgreSQL's "fast" shutdown: sessions are cut, open transactions roll back.
        self.process.stop(signal.SIGINT, seconds=30)


class Redis:
    """A redis-server of its own that keeps its data (appendonly yes) in its own folder."""

    def __init__(self, name: str, folder: Path, port: int):
        self.name, self.folder, self.port = name, folder, port
        folder.mkdir(parents=True, exist_ok=True)
        self.process = Process(
            name,
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--dir",
                str(folder),
                "--appendonly",
                "yes",
                "--save",
                "",
                "--daemonize",
                "no",
            ],
            log=folder.parent / f"{name}.log",
        )

    def url(self, database: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    def client(self, database: int = 0) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, db=database, socket_timeout=5)

    def answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.RedisError:
            return False

    def start(self) -> None:
        self.process.start()
        if wait_for(self.answers, STARTUP_SECONDS) is None:
            raise ServiceError(f"{self.name} did not start:\n" + tail(self.process.log))

    def stop(self) -> None:
        self.process.stop(signal.SIGTERM, seconds=20)


@dataclass(frozen=True)
class Mail:
    """One message as one recipient received it."""

    recipient: str
    subject: str
    text: str  # the plain-text parts, without attachments
    at: float  # time.monotonic() on arrival
    message_id: str = ""

    @property
    def identity(self) -> tuple[str, str, str]:
        """The same email twice has the same identity (its headers' dates and ids aside)."""
        return (self.recipient, self.subject, hashlib.sha256(self.text.encode()).hexdigest())


class SmtpSink:
    """An SMTP server (aiosmtpd) on 127.0.0.1 that accepts everything and records each message
    per recipient; stopped, its port refuses connections as a dead mail server's would."""

    def __init__(self, port: int):
        self.port = port
        self.controller: Controller | None = None
        self._mails: list[Mail] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = "\n".join(
            part.get_content()
            for part in message.walk()
            if part.get_content_type() == "text/plain" and not part.is_attachment()
        )
        now = time.monotonic()
        with self._lock:
            for recipient in envelope.rcpt_tos:
                self._mails.append(
                    Mail(
                        recipient.lower(),
                        str(message["Subject"] or ""),
                        text,
                        now,
                        str(message["Message-ID"] or ""),
                    )
                )
        return "250 Message accepted for delivery"

    def start(self) -> None:
        # aiosmtpd narrates every session at INFO, which the portal's logging would print.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        if self.controller is None:
            self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
            self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def running(self) -> bool:
        return self.controller is not None

    def received(self) -> list[Mail]:
        """Every message as it came over SMTP, copies included."""
        with self._lock:
            return list(self._mails)

    def mails(self) -> list[Mail]:
        """The messages as the recipients' mailboxes hold them: a message sent again with the
        same Message-ID (the portal's idempotency key for an email) is the same message, as mail
        stores treat it; `received` keeps every copy, and the table counts them as resent."""
        seen, kept = set(), []
        for mail in self.received():
            key = (mail.recipient, mail.message_id) if mail.message_id else None
            if key is not None and key in seen:
                continue
            if key is not None:
                seen.add(key)
            kept.append(mail)
        return kept


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
