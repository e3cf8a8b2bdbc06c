from django.contrib import admin, messages
from django.db.models import Count, Max
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.models import DataExport, NoticeAcceptance, PrivacyNotice
from privacy.services.notice import NoticeAlreadyPublished, notice_publish


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    """Versions are drafted here and published by the action; a published version is never
    changed (people accepted that text): a new version is added instead."""

    list_display = ["version", "effective_on", "published_at", "acceptance_count"]
    readonly_fields = ["published_at", "created_at"]
    actions = ["publish"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_acceptances=Count("acceptances"))

    @admin.display(description=_("acceptances"), ordering="_acceptances")
    def acceptance_count(self, notice):
        return notice._acceptances

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        latest = PrivacyNotice.objects.aggregate(latest=Max("version"))["latest"]
        current = PrivacyNotice.objects.published().order_by("-version").first()
        initial.setdefault("version", (latest or 0) + 1)
        if current is not None:
            initial.setdefault("text", current.text)
        return initial

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return ["version", "effective_on", "text", "published_at", "created_at"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Publish the selected version"), permissions=["change"])
    def publish(self, request, queryset):
        published = 0
        for notice in queryset.order_by("version"):
            try:
                notice_publish(notice=notice)
            except NoticeAlreadyPublished:
                self.message_user(
                    request,
                    _("%(notice)s was not published: it is, or a later version is, already.")
                    % {"notice": notice},
                    messages.WARNING,
                )
            else:
                published += 1
        if published:
            self.message_user(
                request,
                ngettext(
                    "%(count)d version published: every signed-in person is shown it once.",
                    "%(count)d versions published: everyone signed in is shown the latest once.",
                    published,
                )
                % {"count": published},
                messages.SUCCESS,
            )


class _ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NoticeAcceptance)
class NoticeAcceptanceAdmin(_ReadOnlyAdmin):
    list_display = ["user", "notice", "accepted_at"]
    list_filter = ["notice"]
    list_select_related = ["user", "notice"]
    search_fields = ["user__email", "user__name"]


@admin.register(DataExport)
class DataExportAdmin(_ReadOnlyAdmin):
    """Who asked for a copy of their data and when it was ready; the archive itself is for
    its owner alone, so it is not offered here."""

    list_display = ["user", "requested_at", "status", "progress", "ready_at", "expires_at"]
    list_filter = ["status"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    exclude = ["file"]
