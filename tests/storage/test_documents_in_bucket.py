"""Documents in the S3 bucket, seen from outside: an applicant's upload lands in the bucket under
its generated name; the applicant and a colleague download exactly those bytes through the
portal, streamed; anyone else gets 404; the bucket itself answers nobody without credentials;
a submitted version's receipt is made and downloaded as before."""

import hashlib
import os
import tracemalloc
import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.enums import DocumentPurpose
from applications.models import ApplicationDocument, Receipt
from calls.enums import FileFormat
from outbox.relay import outbox_sweep
from tests.applications.conftest import complete, pdf_bytes, person
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def upload_self_assessment(client, draft, content: bytes) -> ApplicationDocument:
    slot = draft.call.required_documents.get(kind="self_assessment")
    response = client.post(
        reverse("applications:documents", args=[draft.public_id]),
        {"slot": slot.pk, f"doc{slot.pk}-file": SimpleUploadedFile("My assessment.pdf", content)},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return draft.documents.get(required_document=slot, superseded_at__isnull=True)


def downloaded(client, document) -> tuple[int, bytes]:
    response = client.get(document.get_absolute_url())
    if response.status_code != 200:
        return response.status_code, b""
    return 200, b"".join(response.streaming_content)


def test_an_upload_lands_in_the_bucket_under_its_generated_name(
    client, bucket, seaweedfs, draft, applicant
):
    client.force_login(applicant)
    content = pdf_bytes(pages=2)
    document = upload_self_assessment(client, draft, content)

    objects = seaweedfs.keys(bucket, prefix=f"applications/{draft.public_id}/")
    assert objects == {document.file.name: content}
    assert "My assessment" not in document.file.name
    assert document.sha256 == hashlib.sha256(content).hexdigest()


def test_the_applicant_and_a_colleague_download_exactly_the_bytes_and_others_get_404(
    client, bucket, draft, applicant, institution
):
    client.force_login(applicant)
    content = pdf_bytes(pages=3)
    document = upload_self_assessment(client, draft, content)

    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Length"] == str(len(content))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content
    # Nothing in the answer points at the bucket: the portal itself served the bytes.
    assert not any(bucket in value or "X-Amz" in name for name, value in response.items())

    colleague = person("marco@ospedale.example", institution, "contributor")
    client.force_login(colleague)
    assert downloaded(client, document) == (200, content)

    outsider = person("eve@elsewhere.example", InstitutionFactory(name="Another hospital"))
    client.force_login(outsider)
    assert downloaded(client, document) == (404, b"")
    client.logout()
    response = client.get(document.get_absolute_url())
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_bucket_refuses_a_request_without_credentials(
    client, bucket, seaweedfs, draft, applicant
):
    client.force_login(applicant)
    document = upload_self_assessment(client, draft, pdf_bytes())
    for url in [
        f"{seaweedfs.endpoint_url}/{bucket}/{document.file.name}",  # the object
        f"{seaweedfs.endpoint_url}/{bucket}",  # the bucket's listing
        f"{seaweedfs.endpoint_url}/{bucket}/{document.file.name}?acl",
    ]:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=10)
        assert refused.value.code == 403, url
    wrong = seaweedfs.client(secret_key="not-the-secret")
    with pytest.raises(Exception, match="SignatureDoesNotMatch"):
        wrong.get_object(Bucket=bucket, Key=document.file.name)


def test_a_large_document_is_streamed_not_read_into_memory(client, bucket, draft, applicant):
    """20 MB served while the portal holds under 4 MB in all (django-storages' own reader holds
    the whole object: 25.7 MB measured here, against 0.7 MB for ours)."""
    content = os.urandom(20 * 1024 * 1024)
    name = default_storage.save(f"applications/{draft.public_id}/large.pdf", ContentFile(content))
    document = ApplicationDocument.objects.create(
        application=draft,
        purpose=DocumentPurpose.REQUIRED,
        required_document=draft.call.required_documents.get(kind="self_assessment"),
        file=name,
        original_name="large.pdf",
        format=FileFormat.PDF,
        extension="pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=applicant,
    )
    client.force_login(applicant)
    client.get(reverse("applications:mine"))  # the session and the pages' code, loaded
    default_storage.open(name).close()  # the bucket's client, made (about 2 MB, once)
    digest, received = hashlib.sha256(), 0
    tracemalloc.start()
    try:
        response = client.get(document.get_absolute_url())
        assert response.status_code == 200
        for chunk in response.streaming_content:
            digest.update(chunk)
            received += len(chunk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received == len(content) and digest.hexdigest() == document.sha256
    assert peak < 4 * 1024 * 1024, f"{peak / 1e6:.1f} MB held while serving 20 MB"


def test_a_submitted_versions_receipt_is_made_and_downloaded(
    client, bucket, seaweedfs, draft, applicant
):
    complete(draft, applicant)  # the chart, the self-assessment and the letter, into the bucket
    client.force_login(applicant)
    response = client.post(reverse("applications:submit", args=[draft.public_id]))
    assert response.status_code == 302
    outbox_sweep()  # a worker makes the receipt

    response = client.get(reverse("applications:receipt", args=[draft.public_id, 1]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    # Kept with the version it proves (a few kilobytes, in the database), served as kept.
    assert response.content == bytes(Receipt.objects.get(submission__application=draft).pdf)
    documents = {document.file.name for document in draft.documents.all()}
    assert len(documents) == 3
    assert set(seaweedfs.keys(bucket, prefix=f"applications/{draft.public_id}/")) == documents
