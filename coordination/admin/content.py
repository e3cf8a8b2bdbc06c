"""The admin of what an application holds: documents, submissions, endorsement, declarations."""

from django.contrib import admin

from applications.models import ApplicationDocument, Declaration, Endorsement, Submission
from networks.admin_scope import NetworkScopedAdmin


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(NetworkScopedAdmin):
    network_path = "application__call__network"
    list_display = ["original_name", "application", "purpose", "size", "uploaded_at"]
    list_display += ["malware_scan"]
    list_filter = ["purpose", "format", "malware_scan"]
    search_fields = ["original_name", "application__institution__name"]
    list_select_related = ["application__institution", "application__call"]
    readonly_fields = ["public_id", "sha256", "size", "format", "content_type", "file"]
    # Set by the malware scan only (applications/services/malware.py).
    readonly_fields += ["malware_scan", "malware_signature", "scanned_at"]


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
