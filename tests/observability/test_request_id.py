"""The request id: the proxy's when well-formed, else a new one; in the response, and stored
with the outbox items the request asks for, where the admin finds them by it."""

import pytest
from django.urls import reverse

from outbox.models import OutboxItem
from tests.factories import UserFactory, staff_with_mfa

pytestmark = pytest.mark.django_db


def test_a_well_formed_request_id_is_kept_and_returned(client):
    response = client.get("/accessibility/", HTTP_X_REQUEST_ID="proxy-1f2e.3d:4c_5b")
    assert response["X-Request-ID"] == "proxy-1f2e.3d:4c_5b"


@pytest.mark.parametrize(
    "offered", ["", "has space", "x" * 65, "new\nline", 'quote"d', "-leading-dash"]
)
def test_a_malformed_request_id_is_replaced_by_a_new_one(client, offered):
    response = client.get("/accessibility/", HTTP_X_REQUEST_ID=offered)
    made = response["X-Request-ID"]
    assert made != offered and len(made) == 32 and made.isalnum()
    assert client.get("/accessibility/")["X-Request-ID"] != made  # one per request


def test_outbox_items_keep_the_id_of_the_request_that_asked_for_them(client, settings):
    settings.ACCESSIBILITY_FEEDBACK_EMAILS = ["secretariat@example.org"]
    response = client.post(
        "/accessibility/",
        {"email": "visitor@example.org", "message": "The captcha cannot be read."},
        HTTP_X_REQUEST_ID="feedback-request-42",
    )
    assert response.status_code == 302
    item = OutboxItem.objects.get(kind="notifications.email")
    assert item.request_id == "feedback-request-42"

    client.force_login(staff_with_mfa(UserFactory(is_staff=True, is_superuser=True)))
    changelist = reverse("admin:outbox_outboxitem_changelist")
    found = client.get(changelist, {"q": "feedback-request-42"})
    assert found.status_code == 200
    assert list(found.context["cl"].result_list) == [item]
