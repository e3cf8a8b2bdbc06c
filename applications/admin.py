from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.admin_information import request_information
from applications.admin_reports import report_urls
from applications.enums import ApplicationStatus
from applications.models import (
    Application,
    ApplicationDocument,
    Declaration,
    Endorsement,
    StatusChange,
    Submission,
)
from applications.services.decisions import application_decide, application_rule_eligible
from applications.services.submission import application_rule_ineligible
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
    actions = [
        "mark_eligible",
        "mark_ineligible",
        request_information,
        "accept",
        "reject",
        "waitlist",
        "refer",
    ]

    def get_urls(self):
        return report_urls(self) + super().get_urls()

    @admin.action(description=_("Mark eligible (and route to reviewers)"))
    def mark_eligible(self, request, queryset):
        return self._apply(
            request,
            queryset,
            lambda application, _reason: application_rule_eligible(
                application=application, user=request.user
            ),
        )

    @admin.action(description=_("Mark ineligible…"))
    def mark_ineligible(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            "mark_ineligible",
            _("Mark ineligible"),
            lambda application, reason: application_rule_ineligible(
                application=application, user=request.user, reason=reason
            ),
        )

    @admin.action(description=_("Accept…"))
    def accept(self, request, queryset):
        return self._decision(request, queryset, "accept", _("Accept"), ApplicationStatus.ACCEPTED)

    @admin.action(description=_("Reject…"))
    def reject(self, request, queryset):
        return self._decision(request, queryset, "reject", _("Reject"), ApplicationStatus.REJECTED)

    @admin.action(description=_("Put on the waiting list…"))
    def waitlist(self, request, queryset):
        title = _("Put on the waiting list")
        return self._decision(request, queryset, "waitlist", title, ApplicationStatus.WAITLISTED)

    @admin.action(description=_("Refer to the decision board…"))
    def refer(self, request, queryset):
        title = _("Refer to the decision board")
        return self._decision(request, queryset, "refer", title, ApplicationStatus.REFERRED)

    def _decision(self, request, queryset, action, title, outcome):
        def decide(application, reason):
            return application_decide(
                application=application, user=request.user, outcome=outcome, reason=reason
            )

        return self._with_reason(request, queryset, action, title, decide)

    def _with_reason(self, request, queryset, action, title, change):
        """Ask for the reason on a page of its own, then make the change for each application."""
        reason = request.POST.get("reason", "").strip()
        if request.POST.get("confirm") and reason:
            return self._apply(request, queryset, change, reason)
        return TemplateResponse(
            request,
            "admin/applications/application/decide.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "queryset": queryset,
                "action": action,
                "reason": reason,
                "error": _("Give the reason.") if request.POST.get("confirm") else "",
                "opts": self.model._meta,
            },
        )

    def _apply(self, request, queryset, change, reason=""):
        done = 0
        for application in queryset.select_related("call__network", "institution"):
            try:
                change(application, reason)
            except (ValidationError, PermissionDenied) as error:
                message = "; ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{application}: {message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%d application updated.", "%d applications updated.", done) % done,
                messages.SUCCESS,
            )
        return None


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
