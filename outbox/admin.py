from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outbox.enums import OutboxStatus
from outbox.models import OutboxItem
from outbox.services import outbox_retry


@admin.register(OutboxItem)
class OutboxItemAdmin(admin.ModelAdmin):
    """What the portal still has to do outside its database, and what it gave up on.

    Read-only: items are written by `outbox_enqueue`; "Send again" puts failed ones back.
    """

    list_display = ["key", "kind", "status", "attempts", "created_at", "available_at", "error"]
    list_filter = ["status", "kind"]
    # A request id from the logs (docs/observability.md) finds the items that request asked for.
    search_fields = ["key", "=request_id"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = ["send_again"]
    readonly_fields = [
        "kind",
        "key",
        "payload",
        "status",
        "attempts",
        "created_at",
        "available_at",
        "give_up_at",
        "done_at",
        "last_error",
        "request_id",
    ]

    @admin.display(description=_("last error"))
    def error(self, item: OutboxItem) -> str:
        return item.last_error[:120]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again now"), permissions=["change"])
    def send_again(self, request, queryset):
        retried = outbox_retry(items=list(queryset.exclude(status=OutboxStatus.DONE)))
        self.message_user(
            request,
            ngettext(
                "%(count)d item will be tried again now.",
                "%(count)d items will be tried again now.",
                retried,
            )
            % {"count": retried},
            messages.SUCCESS,
        )
