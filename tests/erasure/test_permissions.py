"""Each role against the erasure pages and the admin's erasure requests, retention reports
and application deletion."""

import pytest
from django.urls import reverse

from accounts.roles import NETWORK_COORDINATORS
from applications.models import Application
from audit.models import AuditEntry
from erasure.models import ErasureRequest
from erasure.services import erasure_request_create
from tests.factories import ApplicationFactory, UserFactory, staff_with_mfa

pytestmark = pytest.mark.django_db


def coordinator():
    from django.contrib.auth.models import Group

    user = staff_with_mfa(UserFactory(is_staff=True))
    user.groups.add(Group.objects.get(name=NETWORK_COORDINATORS))
    return user


def administrator():
    return staff_with_mfa(UserFactory(is_staff=True, is_superuser=True))


ADMIN_URLS = [
    "admin:erasure_erasurerequest_changelist",
    "admin:erasure_retentionreport_changelist",
]


@pytest.mark.parametrize("name", ADMIN_URLS)
def test_erasure_admin_only_for_the_administrator(client, name):
    client.force_login(administrator())
    assert client.get(reverse(name)).status_code == 200
    client.force_login(coordinator())
    assert client.get(reverse(name)).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse(name)).status_code == 302  # to the admin's sign-in


def test_erasure_request_change_page_only_for_the_administrator(client):
    request = erasure_request_create(user=UserFactory())
    url = reverse("admin:erasure_erasurerequest_change", args=[request.pk])
    client.force_login(coordinator())
    assert client.get(url).status_code == 403
    client.force_login(administrator())
    assert client.get(url).status_code == 200


def test_a_coordinator_cannot_carry_out_an_erasure(client):
    request = erasure_request_create(user=UserFactory())
    client.force_login(coordinator())
    client.post(
        reverse("admin:erasure_erasurerequest_changelist"),
        {"action": "carry_out", "_selected_action": [request.pk]},
    )
    assert ErasureRequest.objects.get().status == "pending"


def test_each_person_sees_only_their_own_requests(client):
    erasure_request_create(user=UserFactory(), reason="mine, private")
    client.force_login(UserFactory())
    page = client.get(reverse("erasure:request"))
    assert page.status_code == 200 and "mine, private" not in page.content.decode()


def test_overdue_requests_are_highlighted(client):
    from django.utils import timezone

    request = erasure_request_create(user=UserFactory())
    ErasureRequest.objects.filter(pk=request.pk).update(due_at=timezone.now())
    client.force_login(administrator())
    page = client.get(reverse("admin:erasure_erasurerequest_changelist") + "?overdue=yes")
    assert "erasure-overdue" in page.content.decode()


def test_application_delete_only_by_the_administrator_and_without_history(client, submitted):
    draft = ApplicationFactory()
    client.force_login(coordinator())
    assert (
        client.get(reverse("admin:applications_application_delete", args=[draft.pk])).status_code
        == 403
    )
    client.force_login(administrator())
    history = reverse("admin:applications_application_delete", args=[submitted.pk])
    assert client.get(history).status_code == 403  # its audit entries hash its id
    url = reverse("admin:applications_application_delete", args=[draft.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"post": "yes"})
    assert not Application.objects.filter(pk=draft.pk).exists()
    entry = AuditEntry.objects.get(action="application.deleted")
    assert entry.application_id is None and entry.object_id == str(draft.pk)
    from django.core.management import call_command

    call_command("audit_verify")


@pytest.mark.parametrize("name", [*ADMIN_URLS, "erasure:request"])
def test_erasure_lists_cost_the_same_queries_with_one_and_many_rows(client, count_queries, name):
    from erasure.retention import retention_run

    admin = administrator()
    client.force_login(admin)

    def rows(count):
        for _ in range(count):
            erasure_request_create(user=UserFactory())
            retention_run(dry_run=True)

    rows(1)
    client.get(reverse(name))  # warm caches (content types, session)
    one, page = count_queries(lambda: client.get(reverse(name)))
    assert page.status_code == 200
    rows(12)
    many, _ = count_queries(lambda: client.get(reverse(name)))
    assert many == one
