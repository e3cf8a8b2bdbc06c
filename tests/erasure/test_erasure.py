"""Erase me: asked on the account page, carried out by the administrator in the admin; the
person's name and email then appear nowhere in the database, the audit chain verifies, and
the institutional records stay."""

import io

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from applications.models import Application, Declaration, Submission
from audit.models import AuditEntry
from erasure.declarations import personal_data_declarations
from erasure.enums import ErasureStatus
from erasure.models import ErasureRequest
from erasure.services import erasure_request_create
from notifications.models import SentNotification
from outbox.models import OutboxItem
from tests.factories import UserFactory, staff_with_mfa

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def everything_in_the_database_mentioning(*needles) -> list[str]:
    """Every table, every row, as JSON text: where any of the needles still appears."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            for needle in needles:
                cursor.execute(
                    f"SELECT count(*) FROM {quoted} t WHERE row_to_json(t)::text ILIKE %s",
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}: {needle}")
    return found


def admin_client(client):
    admin = staff_with_mfa(
        UserFactory(email="admin@secretariat.example", is_staff=True, is_superuser=True)
    )
    client.force_login(admin)
    return admin


def test_erasure_request_asked_with_the_password(client, applicant):
    client.force_login(applicant)
    page = client.get(reverse("erasure:request"))
    assert page.status_code == 200

    wrong = client.post(reverse("erasure:request"), {"password": "nope", "confirm": "on"})
    assert wrong.status_code == 400
    assert "This is not your password." in wrong.content.decode()
    assert not ErasureRequest.objects.exists()

    done = client.post(
        reverse("erasure:request"),
        {"password": PASSWORD, "confirm": "on", "reason": "Left"},
        follow=True,
    )
    request = ErasureRequest.objects.get()
    assert request.user == applicant and request.reason == "Left"
    assert (request.due_at - request.requested_at).days == 30
    assert "will carry out or answer your request by" in done.content.decode()


def test_erasure_page_stops_checking_passwords_after_five_wrong(client, applicant):
    client.force_login(applicant)
    for _ in range(5):
        client.post(reverse("erasure:request"), {"password": "nope", "confirm": "on"})
    refused = client.post(reverse("erasure:request"), {"password": PASSWORD, "confirm": "on"})
    assert refused.status_code == 429
    assert not ErasureRequest.objects.exists()


def test_erasure_page_needs_a_signed_in_person(client):
    page = client.get(reverse("erasure:request"))
    assert page.status_code == 302 and reverse("account_login") in page["Location"]


def test_erasure_carried_out_leaves_the_name_and_email_nowhere(
    client, submitted, applicant, django_capture_on_commit_callbacks
):
    email, name = applicant.email, applicant.name
    Declaration.objects.filter(application=submitted).update(full_name=name)
    Authenticator.objects.create(user=applicant, type="totp", data={"secret": "x"})
    person_client = client.__class__()
    person_client.force_login(applicant)  # a live session, ended by the erasure
    assert person_client.get(reverse("erasure:request")).status_code == 200
    request = erasure_request_create(user=applicant, reason="Please")
    OutboxItem.objects.create(
        kind="notifications.email",
        key=f"email:x:1:{email}",
        payload={"recipient": email},
        give_up_at=request.due_at,
    )
    SentNotification.objects.create(kind="x", object_id=1, recipient=email, subject=name)
    assert everything_in_the_database_mentioning(email)

    admin_client(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:erasure_erasurerequest_changelist"),
            {"action": "carry_out", "_selected_action": [request.pk]},
            follow=True,
        )
    assert response.status_code == 200
    assert "1 request carried out." in response.content.decode()

    assert everything_in_the_database_mentioning(email, name) == []
    applicant.refresh_from_db()
    assert applicant.email.endswith("@erased.invalid") and not applicant.has_usable_password()
    assert not applicant.is_active
    assert not Authenticator.objects.filter(user=applicant).exists()
    assert person_client.get(reverse("erasure:request")).status_code == 302  # signed out
    # The institutional records stay.
    assert Application.objects.filter(pk=submitted.pk, representative=applicant).exists()
    assert Submission.objects.filter(application=submitted).exists()
    request.refresh_from_db()
    assert request.status == ErasureStatus.CARRIED_OUT and request.reason == ""
    assert AuditEntry.objects.filter(tombstoned_at__isnull=False).exists()
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "chain intact" in out.getvalue()
    # The admin's pages show nothing of them either.
    page = client.get(reverse("admin:applications_application_change", args=[submitted.pk]))
    assert email not in page.content.decode() and name not in page.content.decode()


def test_every_declared_personal_field_is_erased_or_scrubbed(submitted, applicant):
    """A walk over the declarations: each field marked erase or scrub that held the person's
    email or name before erasure holds neither after it."""
    from erasure.anonymise import person_anonymise

    email, name = applicant.email, applicant.name
    request = erasure_request_create(user=applicant)
    person_anonymise(user=applicant, request=request, actor=None)
    for declaration in personal_data_declarations():
        for field in declaration.erase + declaration.scrub:
            for value in declaration.model._default_manager.values_list(field, flat=True):
                text = str(value)
                assert email not in text, (declaration.label, field)
                assert name not in text, (declaration.label, field)


def test_erasure_refused_with_a_reason_is_emailed(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    request = erasure_request_create(user=applicant)
    admin_client(client)
    url = reverse("admin:erasure_erasurerequest_changelist")
    form = client.post(url, {"action": "refuse", "_selected_action": [request.pk]})
    assert form.status_code == 200
    missing = client.post(
        url, {"action": "refuse", "_selected_action": [request.pk], "confirm": "1"}
    )
    assert missing.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "action": "refuse",
                "_selected_action": [request.pk],
                "confirm": "1",
                "reason": "Your application is under review.",
            },
        )
    request.refresh_from_db()
    assert request.status == ErasureStatus.REFUSED
    assert [message.to for message in mailoutbox] == [[applicant.email]]
    assert "Your application is under review." in mailoutbox[0].body
