import csv
import json
from itertools import chain

from django.contrib import admin
from django.http import StreamingHttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.selectors import EXPORT_COLUMNS, audit_export_rows


class _Echo:
    def write(self, value):
        return value


def audit_csv_response(queryset, filename: str) -> StreamingHttpResponse:
    """Entries as CSV, streamed, each row with its hash and its predecessor's: a changed or
    deleted record shows as a broken link (see `audit_export_rows` for how to re-verify)."""
    writer = csv.DictWriter(_Echo(), fieldnames=EXPORT_COLUMNS)
    header = {column: column for column in EXPORT_COLUMNS}
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in chain([header], audit_export_rows(queryset))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: entries are written by `audit_record` and checked by `audit_verify`."""

    list_display = [
        "sequence",
        "at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "application_id",
        "reason",
    ]
    list_display_links = ["sequence"]
    list_filter = ["action", ("actor", admin.RelatedOnlyFieldListFilter), "at"]
    date_hierarchy = "at"
    search_fields = ["=object_id", "reason"]
    show_full_result_count = False
    fields = [
        "sequence",
        "at",
        "actor",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "application",
        "reason",
        "details",
        "previous_hash",
        "hash",
    ]
    readonly_fields = fields
    actions = ["export_csv"]

    @admin.action(description=_("Export with the hash chain (CSV)"))
    def export_csv(self, request, queryset):
        return audit_csv_response(queryset, "audit-trail.csv")

    @admin.display(description=_("details"))
    def details(self, entry):
        return format_html(
            "<pre>{}</pre>", json.dumps(entry.data, indent=2, sort_keys=True, ensure_ascii=False)
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
