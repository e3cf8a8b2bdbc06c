import pytest

from networks.models import Network
from tests.factories import CallFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_public_pages_are_accessible_and_show_local_times(page, assert_accessible):
    call = CallFactory(network=Network.objects.get(slug="omics"), title="Omics call 2026")
    for path in ["/", "/calls/", call.network.get_absolute_url(), call.get_absolute_url()]:
        page.goto(path)
        assert_accessible(page)
    page.goto(call.get_absolute_url())
    # The visitor's own time zone (the browser says Rome) is shown beside the call's.
    assert "Your time:" in page.locator("aside").inner_text()
