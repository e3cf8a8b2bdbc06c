""" "Download my data": asked from the account pages, built into one archive, downloaded only
by its owner until the link expires."""

import datetime
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationDocument
from outbox.models import OutboxItem
from privacy.enums import ExportStatus
from privacy.models import DataExport
from privacy.services.exports import EXPORT_EFFECT, export_build, export_request, exports_expire
from tests.applications.conftest import complete, person

pytestmark = pytest.mark.django_db


def archive_of(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def built(draft, applicant):
    complete(draft, applicant)
    export = export_request(user=applicant)
    export_build(export_id=export.pk)
    export.refresh_from_db()
    return export


def test_the_account_pages_lead_to_download_my_data(client, applicant):
    client.force_login(applicant)
    for page in [reverse("account_email"), reverse("applications:mine")]:
        assert f'href="{reverse("privacy:my_data")}"' in client.get(page).content.decode()


def test_asking_queues_one_export_and_shows_it_queued(
    client, applicant, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("privacy:my_data"))
        client.post(reverse("privacy:my_data"))  # asking twice builds once
    export = DataExport.objects.get(user=applicant)
    assert export.status == ExportStatus.QUEUED
    assert OutboxItem.objects.filter(kind=EXPORT_EFFECT).count() == 1  # one job
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert page.count('class="data-export"') == 1
    assert "Queued" in page
    assert "A copy is being prepared." in page
    assert " disabled " in page  # the button, until this one is ready
    status = client.get(reverse("privacy:export_status", args=[export.public_id])).json()
    assert status["status"] == "queued" and status["download_url"] is None


def test_progress_is_shown_while_it_is_built(client, applicant):
    export = export_request(user=applicant)
    DataExport.objects.filter(pk=export.pk).update(status=ExportStatus.BUILDING, progress=42)
    client.force_login(applicant)
    assert "Being built: 42%" in client.get(reverse("privacy:my_data")).content.decode()
    status = client.get(reverse("privacy:export_status", args=[export.public_id])).json()
    assert status == {**status, "status": "building", "progress": 42}


def test_the_archive_holds_the_persons_data_and_files(client, built, applicant, draft):
    assert built.status == ExportStatus.READY and built.progress == 100
    assert built.expires_at - built.ready_at == datetime.timedelta(days=7)
    client.force_login(applicant)
    page = client.get(reverse("privacy:my_data")).content.decode()
    download = reverse("privacy:export_download", args=[built.public_id])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = archive_of(response)
    data = json.loads(archive.read("personal-data.json"))
    groups = data["groups"]
    assert groups["account"]["email"] == "anna@ospedale.example"
    assert groups["account"]["name"] == "Anna"
    assert groups["account"]["preferred_language"] == ""  # not chosen
    assert applicant.password not in archive.read("personal-data.json").decode()
    assert [e["email"] for e in groups["emails"]] == ["anna@ospedale.example"]
    assert groups["institution_memberships"]["affiliations"][0]["institution_name"] == (
        "Ospedale di Torino"
    )
    (application,) = groups["applications"]["applications"]
    assert application["public_id"] == str(draft.public_id)
    assert any("day hospice" in json.dumps(answer["value"]) for answer in application["answers"])
    assert groups["privacy"]["notice_acceptances"] == []
    documents = ApplicationDocument.objects.filter(uploaded_by=applicant)
    assert documents.exists()
    for document in documents:
        name = f"files/{document.public_id}.{document.extension}"
        assert archive.read(name) == document.file.open("rb").read()
    assert sorted(data["files"]) == sorted(n for n in archive.namelist() if n.startswith("files/"))


def test_two_factor_secrets_are_not_in_the_archive(applicant):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(applicant, secret)
    export = export_request(user=applicant)
    export_build(export_id=export.pk)
    export.refresh_from_db()
    with export.file.open("rb") as stored:
        content = zipfile.ZipFile(stored).read("personal-data.json").decode()
    assert secret not in content
    data = json.loads(content)
    assert data["groups"]["two_factor"][0]["type"] == "totp"


def test_only_the_owner_may_download_or_follow_it(
    client, built, institution, observer, coordinator, administrator, reviewer
):
    colleague = person("marco@ospedale.example", institution, "contributor")
    urls = [
        reverse("privacy:export_download", args=[built.public_id]),
        reverse("privacy:export_status", args=[built.public_id]),
    ]
    for someone in [colleague, observer, coordinator, administrator, reviewer]:
        client.force_login(someone)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, (someone.email, url, response.status_code)
        # Their own page lists nothing of it.
        assert str(built.public_id) not in client.get(reverse("privacy:my_data")).content.decode()
    client.logout()
    for url in [*urls, reverse("privacy:my_data")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("account_login")
        )


@pytest.mark.parametrize("role", ["observer", "coordinator", "administrator", "reviewer"])
def test_every_role_can_ask_for_a_copy_of_their_own_data(client, role, request):
    someone = request.getfixturevalue(role)
    client.force_login(someone)
    assert client.get(reverse("privacy:my_data")).status_code == 200
    response = client.post(reverse("privacy:my_data"))
    assert response.status_code == 302
    export = DataExport.objects.get(user=someone)
    export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    response = client.get(reverse("privacy:export_download", args=[export.public_id]))
    data = json.loads(archive_of(response).read("personal-data.json"))
    assert data["groups"]["account"]["email"] == someone.email


def test_the_link_expires(client, built, applicant, settings):
    client.force_login(applicant)
    download = reverse("privacy:export_download", args=[built.public_id])
    later = built.expires_at + datetime.timedelta(seconds=1)
    DataExport.objects.filter(pk=built.pk).update(expires_at=timezone.now())
    response = client.get(download)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert download not in client.get(reverse("privacy:my_data")).content.decode()
    path = built.file.path
    assert exports_expire(now=later) == 1
    built.refresh_from_db()
    assert built.status == ExportStatus.EXPIRED and not built.file
    import os

    assert not os.path.exists(path)
    assert client.get(download).status_code == 410


def test_the_expiry_is_a_setting(client, applicant, settings):
    settings.DATA_EXPORT_EXPIRY_DAYS = 2
    client.force_login(applicant)
    assert (
        "only you can download it, for 2 days."
        in client.get(reverse("privacy:my_data")).content.decode()
    )
    export = export_request(user=applicant)
    export = export_build(export_id=export.pk)
    assert export.expires_at - export.ready_at == datetime.timedelta(days=2)


def test_building_again_changes_nothing(built):
    name = built.file.name
    assert export_build(export_id=built.pk).file.name == name
    assert export_build(export_id=999_999) is None


def test_a_malformed_address_is_not_found(client, applicant):
    client.force_login(applicant)
    assert client.get("/accounts/my-data/not-a-uuid/download/").status_code == 404


def test_erasing_the_person_deletes_their_archive_and_its_file(
    built, applicant, django_capture_on_commit_callbacks
):
    from erasure.services import erasure_request_carry_out, erasure_request_create
    from tests.factories import UserFactory

    storage, name = built.file.storage, built.file.name
    assert storage.exists(name)
    request = erasure_request_create(user=applicant)
    admin = UserFactory(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        erasure_request_carry_out(request_id=request.pk, actor=admin)
    assert not DataExport.objects.filter(pk=built.pk).exists()
    assert not storage.exists(name)


def test_the_archive_holds_the_receipts_of_what_the_person_submitted(draft, applicant):
    from applications.models import Receipt
    from applications.services.receipts import receipt_make
    from applications.services.submission import application_submit

    complete(draft, applicant)
    submission = application_submit(application=draft, user=applicant)
    receipt_make(submission_id=submission.pk, language="en", email=False)
    export = export_request(user=applicant)
    export_build(export_id=export.pk)
    export.refresh_from_db()
    with export.file.open("rb") as stored, zipfile.ZipFile(stored) as archive:
        name = f"receipts/{draft.public_id}-v1.pdf"
        assert archive.read(name) == bytes(Receipt.objects.get(submission=submission).pdf)
        data = json.loads(archive.read("personal-data.json"))
    (application,) = data["groups"]["applications"]["applications"]
    assert [r["language"] for r in application["receipts"]] == ["en"]
    assert name in data["files"]
