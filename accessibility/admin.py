from django.contrib import admin

from accessibility.models import AccessibilityFeedback


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(admin.ModelAdmin):
    """The messages sent from the accessibility statement, for the secretariat to answer."""

    list_display = ["created_at", "email", "name", "page"]
    search_fields = ["email", "name", "page", "message"]
    date_hierarchy = "created_at"
    readonly_fields = ["name", "email", "page", "message", "created_at"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False
