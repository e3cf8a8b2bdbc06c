"""The system test brings its own PostgreSQL, Redis and SMTP through `scripts/production`: the
suite-wide fixtures that empty the shared Redis or reseed the test database are not for it."""

import pytest

from tests.own_services import _clear_cache, _private_media, _seeded_structure

__all__ = ["_clear_cache", "_private_media", "_seeded_structure"]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Each phase's report on the test item, so a fixture can tell whether the test failed (the
    topology's folder, with every process's log, is then kept for a look)."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report
