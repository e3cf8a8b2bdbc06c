"""`manage.py ensure_bucket` and the storage's own refusals: the bucket is made private, once;
a bucket anyone can read, credentials the endpoint refuses, or an endpoint that never answers
fail it with a message that says which; a configuration that would loosen the bucket's
privacy fails `manage.py check`."""

import io
import re
import time
import urllib.error
import urllib.request
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from tests.storage.seaweedfs import free_s3_port


def ensure_bucket(*options) -> str:
    out = io.StringIO()
    call_command("ensure_bucket", *options, stdout=out)
    return out.getvalue()


def fresh_bucket_name() -> str:
    return f"jane-test-{uuid.uuid4().hex[:12]}"


def test_the_bucket_is_made_once_and_private(seaweedfs, settings):
    name = fresh_bucket_name()
    settings.STORAGES = {**settings.STORAGES, "default": seaweedfs.storage_settings(name)}
    assert f"Bucket {name!r} at {seaweedfs.endpoint_url}: made, private." in ensure_bucket()
    assert "already there, private." in ensure_bucket()
    assert name in {entry["Name"] for entry in seaweedfs.client().list_buckets()["Buckets"]}
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{seaweedfs.endpoint_url}/{name}", timeout=10)
    assert refused.value.code == 403


def test_a_bucket_anyone_can_read_is_refused(seaweedfs, settings):
    name = fresh_bucket_name()
    client = seaweedfs.client()
    client.create_bucket(Bucket=name)
    client.put_bucket_acl(Bucket=name, ACL="public-read")
    settings.STORAGES = {**settings.STORAGES, "default": seaweedfs.storage_settings(name)}
    with pytest.raises(CommandError, match="can be listed without credentials: make it private"):
        ensure_bucket()


def test_refused_credentials_are_named(seaweedfs, settings):
    storage = seaweedfs.storage_settings(fresh_bucket_name())
    storage["OPTIONS"]["secret_key"] = "not-the-secret"
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    with pytest.raises(CommandError, match="check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"):
        ensure_bucket()


def test_an_endpoint_that_never_answers_fails_after_the_wait(seaweedfs, settings):
    storage = seaweedfs.storage_settings(fresh_bucket_name())
    storage["OPTIONS"]["endpoint_url"] = f"http://127.0.0.1:{free_s3_port()}"  # nobody there
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    started = time.monotonic()
    with pytest.raises(CommandError, match=r"No answer from http://127.0.0.1:\d+ within 2 s"):
        ensure_bucket("--wait", "2")
    assert 2 <= time.monotonic() - started < 15


@pytest.mark.parametrize(
    "loosening, refused",
    [
        ({"default_acl": "public-read"}, "an ACL (default_acl)"),
        ({"object_parameters": {"ACL": "public-read"}}, "an ACL in object_parameters"),
        ({"querystring_auth": False}, "unsigned URLs"),
        ({"file_overwrite": True}, "overwriting files"),
        ({"custom_domain": "cdn.example.eu"}, "a public domain"),
    ],
)
def test_a_configuration_that_loosens_the_bucket_fails_the_system_check(
    seaweedfs, settings, loosening, refused
):
    storage = seaweedfs.storage_settings(fresh_bucket_name())
    storage["OPTIONS"].update(loosening)
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    with pytest.raises(
        SystemCheckError, match=re.escape(f"bucket stays private; refused: {refused}")
    ):
        call_command("check")
