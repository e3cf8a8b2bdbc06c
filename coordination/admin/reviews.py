from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coordination.admin.filters import call_filter
from networks.admin_scope import NetworkListFilter, NetworkScopedAdmin
from networks.rules import is_administrator
from reviews.enums import RoutingRunStatus
from reviews.models import (
    Assignment,
    ConflictDeclaration,
    ConsensusNote,
    Review,
    ReviewerCapacity,
    ReviewerProfile,
    RoutingEvent,
    RoutingRun,
)
from workflow.reviewers import batch_assignment_apply

# Its choices from the calls table, not a DISTINCT over the rows listed.
APPLICATION_CALL_FILTER = call_filter("application__call")


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(NetworkScopedAdmin):
    """A coordinator keeps their networks' reviewers. A reviewer may also review for networks
    the coordinator does not run: those are neither shown nor lost when the profile is saved."""

    network_path = "networks"
    list_display = ["user", "country", "institution", "default_capacity", "is_active"]
    list_filter = ["is_active", ("networks", NetworkListFilter), "country"]
    search_fields = ["user__email", "user__name", "keywords"]
    list_select_related = ["user", "institution"]
    autocomplete_fields = ["user", "institution"]
    filter_horizontal = ["networks", "topics"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not is_administrator(request.user) and "networks" in form.base_fields:
            # A reviewer in none of the coordinator's networks would vanish from their list.
            form.base_fields["networks"].required = True
        return form

    def save_related(self, request, form, formsets, change):
        # The form offers only the coordinator's networks, so saving it would drop the others.
        kept = []
        if change and not is_administrator(request.user):
            kept = list(form.instance.networks.exclude(coordinators=request.user))
        super().save_related(request, form, formsets, change)
        form.instance.networks.add(*kept)


@admin.register(ReviewerCapacity)
class ReviewerCapacityAdmin(NetworkScopedAdmin):
    network_path = "call__network"
    autocomplete_fields = ["reviewer", "call"]
    list_display = ["reviewer", "call", "capacity"]
    list_select_related = ["reviewer__user", "call"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(NetworkScopedAdmin):
    network_path = "reviewer__networks"
    list_display = ["reviewer", "institution", "reason", "declared_at"]
    list_select_related = ["reviewer__user", "institution"]
    search_fields = ["reviewer__user__email", "institution__name"]


ASSIGNMENTS_ARE_MADE_ON_THE_WORKBENCH = _(
    "Assignments are read here. To assign or replace a reviewer, open the application and use "
    "“Assign or replace a reviewer”: it checks conflicts of interest and capacity, records the "
    "reason in the audit trail and tells the reviewer."
)


@admin.register(Assignment)
class AssignmentAdmin(NetworkScopedAdmin):
    """Assignments are read here, never added, changed or deleted, by anyone: a plain form would
    skip the conflict of interest and capacity checks, the audit trail and the reviewer's email.
    Routing and batch assignment make them, and a coordinator assigns or replaces a reviewer on
    the application's workbench page, which calls workflow.reviewers.reviewer_choose.
    """

    network_path = "application__call__network"
    list_display = [
        "reviewer",
        "application",
        "status",
        "source",
        "affinity",
        "due_at",
        "workbench_link",
    ]
    list_filter = ["status", "source", APPLICATION_CALL_FILTER]
    search_fields = ["reviewer__user__email", "application__institution__name"]
    list_select_related = ["reviewer__user", "application__institution", "application__call"]
    readonly_fields = [
        "application",
        "reviewer",
        "status",
        "source",
        "affinity",
        "assigned_at",
        "due_at",
        "no_conflict_declared_at",
        "responded_at",
        "decline_reason",
        "workbench_link",
    ]
    fieldsets = [
        (None, {"fields": readonly_fields, "description": ASSIGNMENTS_ARE_MADE_ON_THE_WORKBENCH})
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {"subtitle": ASSIGNMENTS_ARE_MADE_ON_THE_WORKBENCH, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("assign or replace a reviewer"))
    def workbench_link(self, assignment):
        url = reverse("admin:applications_application_reviewers", args=[assignment.application_id])
        return format_html('<a href="{}">{}</a>', url, _("on the application’s page"))


@admin.register(Review)
class ReviewAdmin(NetworkScopedAdmin):
    network_path = "assignment__application__call__network"
    list_display = ["assignment", "status", "recommendation", "submitted_at"]
    list_filter = ["status", "recommendation"]
    list_select_related = [
        "assignment__reviewer__user",
        "assignment__application__institution",
        "assignment__application__call",
    ]


@admin.register(ConsensusNote)
class ConsensusNoteAdmin(NetworkScopedAdmin):
    network_path = "application__call__network"
    list_display = ["application", "author", "updated_at"]
    list_select_related = ["application__institution", "application__call", "author__user"]


@admin.register(RoutingEvent)
class RoutingEventAdmin(NetworkScopedAdmin):
    network_path = "application__call__network"
    list_display = ["application", "at", "message"]
    list_select_related = ["application__institution", "application__call"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RoutingRun)
class RoutingRunAdmin(NetworkScopedAdmin):
    network_path = "call__network"
    """A batch assignment: its progress while computed, then its preview to apply or discard."""

    list_display = ["call", "status", "progress", "created_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["call", "created_by"]
    change_form_template = "admin/reviews/routingrun/change_form.html"
    readonly_fields = [
        "call",
        "status",
        "progress",
        "progress_message",
        "created_by",
        "created_at",
        "finished_at",
        "applied_at",
        "error",
    ]
    exclude = ["preview"]

    def has_add_permission(self, request):
        return False  # started from the calls' list, with the action

    def get_urls(self):
        return [
            path(
                "<int:pk>/apply/",
                self.admin_site.admin_view(self.apply_view),
                name="reviews_routingrun_apply",
            ),
            path(
                "<int:pk>/discard/",
                self.admin_site.admin_view(self.discard_view),
                name="reviews_routingrun_discard",
            ),
            *super().get_urls(),
        ]

    def _run_or_404(self, request, pk):
        run = self.get_queryset(request).filter(pk=pk).first()
        if run is None or not self.has_change_permission(request, run):
            raise Http404
        return run

    def apply_view(self, request, pk):
        run = self._run_or_404(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            count = batch_assignment_apply(run=run, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                ngettext("%d assignment created.", "%d assignments created.", count) % count,
                messages.SUCCESS,
            )
        return redirect("admin:reviews_routingrun_change", run.pk)

    def discard_view(self, request, pk):
        run = self._run_or_404(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        RoutingRun.objects.filter(pk=run.pk, status=RoutingRunStatus.PREVIEW).update(
            status=RoutingRunStatus.DISCARDED
        )
        return redirect("admin:reviews_routingrun_change", run.pk)
