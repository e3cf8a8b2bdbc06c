"""Sessions live in the database and are read through Redis: a Redis outage signs nobody out, and
a sign-out made during one is not undone by the copy Redis kept."""

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse

from tests.chaos.services import Redis, free_port, wait_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _signed_in(client) -> bool:
    response = client.get(reverse("applications:mine"))
    return response.status_code == 200 and "account/login" not in response.get("Location", "")


def test_a_session_survives_an_emptied_cache(client):
    client.force_login(UserFactory())
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=key).exists()

    cache.clear()

    assert _signed_in(client)


@pytest.fixture
def private_redis(settings, tmp_path):
    """A redis-server of this test's own, as the portal's cache (stopping it stops nobody else)."""
    redis = Redis("redis-sessions", tmp_path / "redis", free_port())
    redis.start()
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": redis.url(0)}}
    yield redis
    redis.stop()


def test_nobody_is_signed_out_when_redis_stops(client, private_redis):
    client.force_login(UserFactory())
    assert _signed_in(client)

    private_redis.stop()

    assert _signed_in(client)
    assert _signed_in(client)


def test_a_sign_out_while_redis_is_down_holds_once_the_cached_copy_expires(
    client, private_redis, settings
):
    settings.SESSION_CACHE_SECONDS = 2
    client.force_login(UserFactory())
    assert _signed_in(client)
    assert private_redis.client().keys("*sessions*")  # the session's copy is in Redis

    private_redis.stop()
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).delete()  # signed out on another device
    private_redis.start()  # Redis keeps its data across a restart: the stale copy is back

    assert wait_for(lambda: not _signed_in(client), seconds=10, step=0.2) is not None
