"""The system test brings its own PostgreSQL, Redis and SMTP through `scripts/production`: the
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
