from django.contrib import admin

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


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "country", "institution", "default_capacity", "is_active"]
    list_filter = ["is_active", "networks", "country"]
    search_fields = ["user__email", "user__name", "keywords"]
    list_select_related = ["user", "institution"]
    autocomplete_fields = ["user", "institution"]
    filter_horizontal = ["networks", "topics"]


@admin.register(ReviewerCapacity)
class ReviewerCapacityAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "call", "capacity"]
    list_select_related = ["reviewer__user", "call"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "institution", "reason", "declared_at"]
    list_select_related = ["reviewer__user", "institution"]
    search_fields = ["reviewer__user__email", "institution__name"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "application", "status", "source", "affinity", "due_at"]
    list_filter = ["status", "source", "application__call"]
    search_fields = ["reviewer__user__email", "application__institution__name"]
    list_select_related = ["reviewer__user", "application__institution", "application__call"]
    readonly_fields = ["status", "no_conflict_declared_at", "responded_at", "decline_reason"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["assignment", "status", "recommendation", "submitted_at"]
    list_filter = ["status", "recommendation"]
    list_select_related = [
        "assignment__reviewer__user",
        "assignment__application__institution",
        "assignment__application__call",
    ]


@admin.register(ConsensusNote)
class ConsensusNoteAdmin(admin.ModelAdmin):
    list_display = ["application", "author", "updated_at"]
    list_select_related = ["application__institution", "application__call", "author__user"]


@admin.register(RoutingEvent)
class RoutingEventAdmin(admin.ModelAdmin):
    list_display = ["application", "at", "message"]
    list_select_related = ["application__institution", "application__call"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RoutingRun)
class RoutingRunAdmin(admin.ModelAdmin):
    list_display = ["call", "status", "progress", "created_by", "created_at"]
    list_select_related = ["call", "created_by"]
