""" "Download my data" and erasure with the files in the S3 bucket: the archive, built by the
worker's job, is itself kept in the bucket and holds the person's uploaded files byte for byte;
erasing the person removes their objects (the archive) from the bucket, while the
application's documents, institutional records, stay."""

import io
import zipfile

import pytest
from django.urls import reverse

from applications.models import ApplicationDocument
from erasure.services import erasure_request_create
from outbox.relay import outbox_sweep
from privacy.enums import ExportStatus
from privacy.models import DataExport
from tests.applications.conftest import complete
from tests.factories import UserFactory, staff_with_mfa

pytestmark = pytest.mark.django_db


def export_asked_and_built(client, applicant) -> DataExport:
    client.force_login(applicant)
    response = client.post(reverse("privacy:my_data"))
    assert response.status_code == 302
    outbox_sweep()  # a worker builds the archive
    export = DataExport.objects.get(user=applicant)
    assert export.status == ExportStatus.READY, export.error
    return export


def test_download_my_data_holds_the_files_byte_for_byte(
    client, bucket, seaweedfs, draft, applicant
):
    complete(draft, applicant)  # three files of theirs, uploaded into the bucket
    in_bucket = seaweedfs.keys(bucket, prefix=f"applications/{draft.public_id}/")
    documents = list(ApplicationDocument.objects.filter(uploaded_by=applicant))
    assert {document.file.name for document in documents} == set(in_bucket)

    export = export_asked_and_built(client, applicant)
    response = client.get(reverse("privacy:export_download", args=[export.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    served = b"".join(response.streaming_content)
    # The archive is an object of the bucket too, and the portal served exactly it.
    assert seaweedfs.keys(bucket, prefix=export.file.name) == {export.file.name: served}
    archive = zipfile.ZipFile(io.BytesIO(served))
    for document in documents:
        name = f"files/{document.public_id}.{document.extension}"
        assert archive.read(name) == in_bucket[document.file.name], name
    assert not [name for name in archive.namelist() if name.endswith(".missing.txt")]


def test_erasure_removes_the_persons_objects_from_the_bucket(
    client, bucket, seaweedfs, draft, applicant, django_capture_on_commit_callbacks
):
    complete(draft, applicant)
    export = export_asked_and_built(client, applicant)
    archive_name = export.file.name
    documents = {document.file.name for document in draft.documents.all()}
    assert archive_name in seaweedfs.keys(bucket, prefix="privacy-exports/")

    request = erasure_request_create(user=applicant, reason="Please")
    administrator = staff_with_mfa(UserFactory(is_staff=True, is_superuser=True))
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:erasure_erasurerequest_changelist"),
            {"action": "carry_out", "_selected_action": [request.pk]},
            follow=True,
        )
    assert "1 request carried out." in response.content.decode()

    assert not DataExport.objects.filter(pk=export.pk).exists()
    assert archive_name not in seaweedfs.keys(bucket, prefix="privacy-exports/")
    # The application's documents are the institution's records (docs/erasure.md): kept.
    assert set(seaweedfs.keys(bucket, prefix=f"applications/{draft.public_id}/")) == documents
