"""The secretariat's list of erasure requests, with their legal deadline, and the retention
reports. Only the administrator (a superuser) sees them: they are about people, not networks."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from erasure.enums import ErasureStatus
from erasure.forms import ErasureRefusalForm
from erasure.models import ErasureRequest, RetentionReport
from erasure.services import ErasureRefused, erasure_request_carry_out, erasure_request_refuse
from instants.formatting import instant_text


class SuperuserOnly:
    """Everything in this module is for the administrator alone; nobody may add or edit."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OverdueFilter(admin.SimpleListFilter):
    title = gettext_lazy("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(status=ErasureStatus.PENDING, due_at__lt=timezone.now())
        return queryset


@admin.register(ErasureRequest)
class ErasureRequestAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["__str__", "user", "status", "requested_at", "deadline", "decided_at"]
    list_filter = ["status", OverdueFilter]
    list_select_related = ["user"]
    search_fields = ["=id"]
    show_full_result_count = False
    fields = [
        "user",
        "status",
        "reason",
        "requested_at",
        "due_at",
        "decided_at",
        "decided_by",
        "refusal_reason",
    ]
    readonly_fields = fields
    actions = ["carry_out", "refuse"]

    def get_actions(self, request):
        # The actions change data: offered to the administrator only, like the page itself.
        return super().get_actions(request) if self.has_module_permission(request) else {}

    @admin.display(description=gettext_lazy("legal deadline"), ordering="due_at")
    def deadline(self, obj):
        if obj.is_overdue:
            return format_html(
                '<strong class="errornote erasure-overdue">{} ({})</strong>',
                instant_text(obj.due_at),
                _("overdue"),
            )
        return instant_text(obj.due_at)

    @admin.action(description=gettext_lazy("Carry out: anonymise the person everywhere"))
    def carry_out(self, request, queryset):
        done = 0
        for item in queryset.order_by("pk"):
            try:
                erasure_request_carry_out(request_id=item.pk, actor=request.user)
            except ErasureRefused as error:
                self.message_user(request, f"{item}: {error}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%d request carried out.", "%d requests carried out.", done) % done,
                messages.SUCCESS,
            )

    @admin.action(description=gettext_lazy("Refuse, with a reason emailed to the person"))
    def refuse(self, request, queryset):
        items = list(queryset.filter(status=ErasureStatus.PENDING).order_by("pk"))
        if not items:
            self.message_user(request, _("Choose requests still waiting."), messages.WARNING)
            return None
        confirmed = bool(request.POST.get("confirm"))
        form = ErasureRefusalForm(request.POST if confirmed else None)
        if confirmed and form.is_valid():
            for item in items:
                erasure_request_refuse(
                    request_id=item.pk, actor=request.user, reason=form.cleaned_data["reason"]
                )
            count = len(items)
            self.message_user(
                request,
                ngettext("%d request refused.", "%d requests refused.", count) % count,
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/erasure/erasurerequest/refuse.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Refuse erasure requests"),
                "items": items,
                "form": form,
                "action": "refuse",
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
            status=400 if form.errors else 200,
        )


@admin.register(RetentionReport)
class RetentionReportAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["ran_at", "dry_run", "summary"]
    list_filter = ["dry_run"]
    show_full_result_count = False
    fields = ["ran_at", "dry_run", "details"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("what was found"))
    def summary(self, obj):
        return "; ".join(
            f"{finding['rule']}: {finding['count']} ({finding['applied']})"
            for finding in obj.findings
        )

    @admin.display(description=gettext_lazy("details"))
    def details(self, obj):
        return format_html(
            "<pre>{}</pre>",
            "\n".join(
                f"{finding['rule']}: {', '.join(finding['items']) or '-'}"
                for finding in obj.findings
            ),
        )
