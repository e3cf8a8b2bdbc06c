"""A real ClamAV daemon for the tests: started on a private unix socket in a folder of its own,
with a one-line signature database of our own (no freshclam, no update server), stopped and
started again at will, and stopped at the end.

Debian's clamav-daemon provides /usr/sbin/clamd (`scripts/ensure-clamav`, run by `make
services`); without it the tests fail rather than skip.
"""

import io
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from pypdf import PdfWriter

CLAMD = "/usr/sbin/clamd"
# A byte string found in no real file: the test signature matches it anywhere in a file.
MARKER = b"JANEPORTALMALWARETEST7f3c2a91"
SIGNATURE_NAME = "Jane.Portal.TestSignature"
READY_WITHIN = 60.0  # seconds; measured: 0.14 s with this database


def infected_pdf_bytes() -> bytes:
    """A valid one-page PDF (every other check accepts it) that carries the test signature."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": MARKER.decode()})  # written as a plain literal string
    buffer = io.BytesIO()
    writer.write(buffer)
    assert MARKER in buffer.getvalue()
    return buffer.getvalue()


def _pong(socket_path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(2)
            connection.connect(socket_path)
            connection.sendall(b"zPING\0")
            return connection.recv(16).rstrip(b"\0") == b"PONG"
    except OSError:
        return False


class ClamdDaemon:
    def __init__(self):
        if not os.access(CLAMD, os.X_OK):
            pytest.fail(
                f"{CLAMD} is missing: the malware-scanning tests need ClamAV's daemon. "
                "Run `make services` (scripts/ensure-clamav installs Debian's clamav-daemon)."
            )
        # Short: a unix socket's path may not exceed 107 bytes, and pytest's tmp_path can.
        self.folder = Path(tempfile.mkdtemp(prefix="jane-clamd-"))
        self.socket = str(self.folder / "clamd.sock")
        database = self.folder / "db"
        database.mkdir()
        (database / "jane-test.ndb").write_text(f"{SIGNATURE_NAME}:0:*:{MARKER.hex()}\n")
        self.config = self.folder / "clamd.conf"
        self.config.write_text(
            "Foreground yes\n"
            f"LocalSocket {self.socket}\n"
            f"DatabaseDirectory {database}\n"
            f"PidFile {self.folder / 'clamd.pid'}\n"
            f"TemporaryDirectory {self.folder}\n"
        )
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start clamd and wait until it answers PING; fail if it exits or never answers."""
        assert self.process is None, "clamd is running already"
        self.log = open(self.folder / "clamd.log", "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [CLAMD, f"--config-file={self.config}"], stdout=self.log, stderr=self.log
        )
        deadline = time.monotonic() + READY_WITHIN
        while not _pong(self.socket):
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = (self.folder / "clamd.log").read_text(errors="replace")[-2000:]
                self.stop()
                pytest.fail(f"clamd did not answer PING:\n{log}")
            time.sleep(0.02)  # poll the condition

    def stop(self) -> None:
        """Stop clamd and wait for it to exit; its socket is gone afterwards."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
        self.log.close()
        Path(self.socket).unlink(missing_ok=True)
        assert not _pong(self.socket)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
