from django.contrib import admin

from applications.models import (
    Application,
    ApplicationDocument,
    Declaration,
    Endorsement,
    StatusChange,
    Submission,
)
from networks.admin_scope import NetworkScopedAdmin


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "at", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(NetworkScopedAdmin):
    """Read-mostly for now: the status changes only through the transition service."""

    network_path = "call__network"
    list_display = ["institution", "call", "status", "tier_requested", "submitted_at"]
    list_filter = [
        "status",
        ("call__network", admin.RelatedOnlyFieldListFilter),
        ("call", admin.RelatedOnlyFieldListFilter),
        "tier_requested",
    ]
    search_fields = ["institution__name", "call__title"]
    list_select_related = ["institution", "call"]
    readonly_fields = [
        "public_id",
        "status",
        "submitted_at",
        "awaiting_routing_since",
        "created_by",
    ]
    autocomplete_fields = ["institution", "representative", "deputy"]
    inlines = [StatusChangeInline]


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(NetworkScopedAdmin):
    network_path = "application__call__network"
    list_display = ["original_name", "application", "purpose", "size", "uploaded_at"]
    list_filter = ["purpose", "format"]
    search_fields = ["original_name", "application__institution__name"]
    list_select_related = ["application__institution", "application__call"]
    readonly_fields = ["public_id", "sha256", "size", "format", "content_type", "file"]


@admin.register(Submission)
class SubmissionAdmin(NetworkScopedAdmin):
    network_path = "application__call__network"
    list_display = ["application", "number", "submitted_at", "submitted_by", "checksum"]
    search_fields = ["application__institution__name", "checksum"]
    list_select_related = ["application__institution", "application__call", "submitted_by"]
    readonly_fields = [
        "application",
        "number",
        "submitted_at",
        "submitted_by",
        "content",
        "checksum",
    ]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Endorsement)
class EndorsementAdmin(NetworkScopedAdmin):
    network_path = "application__call__network"
    list_display = ["application", "issuing_authority", "issued_on"]
    list_select_related = ["application__institution", "application__call"]
    search_fields = ["issuing_authority", "application__institution__name"]


@admin.register(Declaration)
class DeclarationAdmin(NetworkScopedAdmin):
    network_path = "application__call__network"
    list_display = ["application", "kind", "full_name", "position", "signed_on"]
    list_filter = ["kind"]
    list_select_related = ["application__institution", "application__call"]
    search_fields = ["full_name", "application__institution__name"]
