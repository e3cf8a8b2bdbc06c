"""The receipt of a submitted version is made by a background job, off the submit request:
the applicant's page says it is being prepared until the job has run, then offers it; the
email carries the same PDF; a double submit makes one version and one receipt."""

import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from applications.models import Receipt, Submission
from applications.services.receipts import receipt_make
from applications.services.submission import application_submit
from outbox.models import OutboxItem
from outbox.relay import outbox_sweep
from tests.applications.conftest import complete

pytestmark = pytest.mark.django_db

PREPARING = "Your receipt is being prepared"


def _download_link(number: int) -> str:
    return f"Download the receipt of version {number} (PDF)"


def test_the_page_says_the_receipt_is_being_prepared_then_offers_it(client, draft, applicant):
    complete(draft, applicant)
    # No on-commit kick here: the receipt's job waits in the outbox, as behind a busy worker.
    submission = application_submit(application=draft, user=applicant)
    client.force_login(applicant)

    page = client.get(draft.get_absolute_url()).content.decode()
    assert PREPARING in page
    assert _download_link(1) not in page
    assert Receipt.objects.count() == 0
    assert mail.outbox == []

    outbox_sweep()  # a worker makes the receipt

    page = client.get(draft.get_absolute_url()).content.decode()
    assert PREPARING not in page
    assert _download_link(1) in page
    receipt = Receipt.objects.get(submission=submission)
    response = client.get(reverse("applications:receipt", args=[draft.public_id, 1]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == bytes(receipt.pdf)
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert submission.checksum in text.replace("\n", "")


def test_the_receipt_email_attaches_the_receipt_once_it_is_made(draft, applicant):
    complete(draft, applicant)
    submission = application_submit(application=draft, user=applicant)
    outbox_sweep()  # the receipt is made, and asks for its email
    outbox_sweep()  # the email is sent

    [email] = mail.outbox
    assert email.to == [applicant.email]
    [(filename, content, mimetype)] = email.attachments
    assert filename == f"receipt-{draft.public_id}-v1.pdf" and mimetype == "application/pdf"
    assert content == bytes(Receipt.objects.get(submission=submission).pdf)

    # A late or duplicated job changes nothing: one receipt, one email.
    receipt_make(submission_id=submission.pk, language="en")
    outbox_sweep()
    assert Receipt.objects.filter(submission=submission).count() == 1
    assert len(mail.outbox) == 1


def test_a_download_before_the_job_makes_the_receipt_once_and_emails_it_once(
    client, draft, applicant
):
    complete(draft, applicant)
    submission = application_submit(application=draft, user=applicant)
    client.force_login(applicant)
    response = client.get(reverse("applications:receipt", args=[draft.public_id, 1]))
    assert response.status_code == 200

    outbox_sweep()
    outbox_sweep()
    assert Receipt.objects.filter(submission=submission).count() == 1
    assert response.content == bytes(Receipt.objects.get(submission=submission).pdf)
    assert len(mail.outbox) == 1


def test_submitting_twice_over_http_makes_one_version_and_one_receipt(
    client, draft, applicant, django_capture_on_commit_callbacks
):
    complete(draft, applicant)
    client.force_login(applicant)
    url = reverse("applications:submit", args=[draft.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url)
        second = client.post(url, follow=True)
    assert first.status_code == 302
    assert "already been submitted" in second.content.decode()
    assert Submission.objects.filter(application=draft).count() == 1
    assert Receipt.objects.filter(submission__application=draft).count() == 1
    assert len(mail.outbox) == 1
    call_command("audit_verify", stdout=io.StringIO())  # raises CommandError if broken


def test_a_refused_submission_keeps_no_version_and_asks_for_no_receipt(draft, applicant):
    with pytest.raises(ValidationError):
        application_submit(application=draft, user=applicant)  # incomplete
    assert Submission.objects.filter(application=draft).count() == 0
    assert not OutboxItem.objects.filter(kind__in=["applications.receipt", "applications.route"])
    call_command("audit_verify", stdout=io.StringIO())
