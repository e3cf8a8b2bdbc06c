import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.exports import audit_csv_response
from audit.models import AuditEntry


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
        "scheme",
        "payload_hash",
        "tombstoned_at",
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
