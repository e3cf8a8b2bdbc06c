"""The audit trail in the admin: a read-only list whose query count does not grow."""

import csv
import io

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from audit.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())  # the admin opens only to staff with MFA
    client.force_login(user)
    return client


def test_audit_changelist_query_count_does_not_grow_with_entries(
    superuser_client, count_queries, record
):
    url = reverse("admin:audit_auditentry_changelist")
    record(1)
    few, response = count_queries(lambda: superuser_client.get(url))
    assert response.status_code == 200
    record(19)
    many, response = count_queries(lambda: superuser_client.get(url))
    assert response.status_code == 200
    assert response.content.count(b"application.status") >= 20
    assert many == few


def test_audit_changelist_filters_and_search(superuser_client, record, application):
    entries = record(2)
    url = reverse("admin:audit_auditentry_changelist")

    for query in [
        {"action": "application.status"},
        {"actor__id__exact": application.created_by_id},
        {"at__gte": "2000-01-01 00:00:00+00:00"},
        {"q": str(application.pk)},
        {"q": "Step 1"},
        {"q": "%' OR 1=1 --"},
    ]:
        response = superuser_client.get(url, query)
        assert response.status_code == 200, query

    response = superuser_client.get(url, {"q": "Step 1"})
    assert list(response.context["cl"].result_list) == [entries[1]]


def test_audit_admin_is_read_only(superuser_client, record):
    (entry,) = record(1)
    change_url = reverse("admin:audit_auditentry_change", args=[entry.pk])

    response = superuser_client.get(change_url)
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert entry.hash.encode() in response.content

    assert superuser_client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert superuser_client.post(change_url, {"reason": "Edited"}).status_code == 403
    delete_url = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert superuser_client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = superuser_client.post(
        reverse("admin:audit_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert changelist.status_code in (200, 302)
    assert AuditEntry.objects.get().reason == "Step 0"


def test_audit_export_action_gives_every_selected_entry_with_its_chain(superuser_client, record):
    entries = record(3)
    response = superuser_client.post(
        reverse("admin:audit_auditentry_changelist"),
        {"action": "export_csv", "_selected_action": [e.pk for e in entries]},
    )
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["hash"] for row in rows] == [e.hash for e in entries]
    assert rows[1]["previous_hash"] == rows[0]["hash"]
