"""The fault suite brings its own PostgreSQL, Redis and SMTP, in a process of its own: the
suite-wide fixtures that empty the shared Redis or reseed the test database are not for it."""

import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    yield


@pytest.fixture(autouse=True)
def _seeded_structure():
    return


@pytest.fixture(autouse=True)
def _private_media():
    return
