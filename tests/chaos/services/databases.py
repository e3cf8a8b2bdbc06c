"""The run's own PostgreSQL cluster and redis-server processes, on free loopback ports."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import psycopg2
import redis

from tests.chaos.services.processes import (
    STARTUP_SECONDS,
    Process,
    ServiceError,
    postgres_bin,
    tail,
    wait_for,
)


class Postgres:
    """A PostgreSQL cluster of its own in `folder`, on 127.0.0.1 only; fsync is off, as it may
    be for data thrown away after the run."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        self.data = folder / "data"
        self.bin = postgres_bin()
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
