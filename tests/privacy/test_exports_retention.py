"""The retention rule of "Download my data" (privacy/retention.py), seen from outside: the
`retention` command's output, the storage's files and the admin's retention report. A request
whose link expired more than the grace period ago (`RETENTION_RULES["data_exports"]`) goes with
its archive; a dry run, or the rule not marked to apply, only reports it."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from erasure.models import RetentionReport
from erasure.tasks import retention_task
from privacy.enums import ExportStatus
from privacy.models import DataExport
from privacy.services.exports import export_build, export_request, exports_expire
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def built_for(user, *, expired_days_ago: float | None = None) -> DataExport:
    export = export_request(user=user)
    export = export_build(export_id=export.pk)
    if expired_days_ago is not None:
        export.expires_at = timezone.now() - expired_days_ago * DAY
        export.save(update_fields=["expires_at"])
    return export


@pytest.fixture
def exports(applicant):
    """Long expired (one with its file, one whose file beat already removed), failed long ago,
    expired within the grace period, still downloadable."""
    file_removed = built_for(UserFactory(), expired_days_ago=35)
    assert exports_expire() == 1  # beat removed its archive within the hour, kept the row
    file_removed.refresh_from_db()
    assert file_removed.status == ExportStatus.EXPIRED and not file_removed.file
    long_expired = built_for(applicant, expired_days_ago=40)  # beat has not run since
    failed = DataExport.objects.create(
        user=UserFactory(), requested_at=timezone.now() - 40 * DAY, status=ExportStatus.FAILED
    )
    in_grace = built_for(UserFactory(), expired_days_ago=10)
    current = built_for(UserFactory())
    return {
        "gone": [long_expired, file_removed, failed],
        "kept": [in_grace, current],
    }


def run(*args) -> str:
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def labels(rows) -> list[str]:
    return [f"data export #{row.pk}" for row in sorted(rows, key=lambda row: row.pk)]


def test_a_dry_run_reports_the_exports_past_their_time_and_deletes_nothing(exports, settings):
    settings.RETENTION_RULES = {
        **settings.RETENTION_RULES,
        "data_exports": {"after_days": 30, "apply": True},
    }
    stored = [(e.file.storage, e.file.name) for e in exports["gone"] + exports["kept"] if e.file]
    output = run("--dry-run")
    assert "data_exports (after 30 days, applies): 3 would go, 0 erased" in output
    for label in labels(exports["gone"]):
        assert f"  - {label}\n" in output
    for label in labels(exports["kept"]):
        assert f"  - {label}\n" not in output
    assert DataExport.objects.count() == 5
    assert all(storage.exists(name) for storage, name in stored)
    assert RetentionReport.objects.get().dry_run


def test_the_run_deletes_the_requests_and_their_archives(
    exports, settings, django_capture_on_commit_callbacks
):
    settings.RETENTION_RULES = {
        **settings.RETENTION_RULES,
        "data_exports": {"after_days": 30, "apply": True},
    }
    (with_file,) = [e for e in exports["gone"] if e.file]
    storage, name = with_file.file.storage, with_file.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        output = run()
    assert "data_exports (after 30 days, applies): 3 would go, 3 erased" in output
    assert not DataExport.objects.filter(pk__in=[e.pk for e in exports["gone"]]).exists()
    assert not storage.exists(name)
    for export in exports["kept"]:  # within the grace period, or not expired: untouched
        export.refresh_from_db()
        assert export.file and export.file.storage.exists(export.file.name)
    assert "0 would go" in run("--dry-run").split("data_exports")[1].splitlines()[0]


def test_the_grace_period_is_a_setting(exports, settings):
    settings.RETENTION_RULES = {
        **settings.RETENTION_RULES,
        "data_exports": {"after_days": 5, "apply": False},
    }
    output = run("--dry-run")
    assert "data_exports (after 5 days, reports only): 4 would go" in output
    assert labels(exports["kept"][:1])[0] in output


def test_beats_daily_run_only_reports_until_the_rule_is_marked_to_apply(exports, settings):
    retention_task()
    assert DataExport.objects.count() == 5  # the default: reported only
    finding = next(f for f in RetentionReport.objects.get().findings if f["rule"] == "data_exports")
    assert finding == {**finding, "apply": False, "count": 3, "applied": 0}


def test_the_admins_retention_report_shows_the_exports(client, exports, administrator, settings):
    settings.RETENTION_RULES = {
        **settings.RETENTION_RULES,
        "data_exports": {"after_days": 30, "apply": True},
    }
    run()
    report = RetentionReport.objects.get()
    client.force_login(administrator)
    changelist = client.get(reverse("admin:erasure_retentionreport_changelist"))
    assert "data_exports: 3 (3)" in changelist.content.decode()
    detail = client.get(reverse("admin:erasure_retentionreport_change", args=[report.pk]))
    assert f"data_exports: {', '.join(labels(exports['gone']))}" in detail.content.decode()


def test_the_register_names_the_rule_of_data_exports():
    out = io.StringIO()
    call_command("processing_register", stdout=out)
    assert "rule data_exports: after 30 days (reported only)" in out.getvalue()
