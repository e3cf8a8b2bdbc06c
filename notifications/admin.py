from django.contrib import admin

from notifications.models import SentNotification


@admin.register(SentNotification)
class SentNotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "subject", "created_at", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["recipient", "subject"]

    def has_change_permission(self, request, obj=None):
        return False
