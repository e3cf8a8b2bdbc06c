"""Administrators name the national endorsers; endorsements are read here, changed only by the
endorsers on their pages (through the service)."""

from django.contrib import admin

from endorsements.models import EndorsementChange, NationalEndorsement, NationalEndorser
from networks.rules import is_administrator


class AdministratorsOnly:
    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)


@admin.register(NationalEndorser)
class NationalEndorserAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["user", "country", "authority", "active"]
    list_filter = ["active", "country"]
    search_fields = ["user__email", "user__name", "authority"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]

    def has_add_permission(self, request):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user)


class EndorsementChangeInline(admin.TabularInline):
    model = EndorsementChange
    extra = 0
    can_delete = False
    fields = ["at", "from_state", "to_state", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(NationalEndorsement)
class NationalEndorsementAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["application", "state", "endorser", "decided_at"]
    list_filter = ["state"]
    search_fields = ["application__institution__name"]
    list_select_related = ["application__institution", "application__call", "endorser__user"]
    readonly_fields = [
        "application",
        "state",
        "letter",
        "endorser",
        "signatory_name",
        "signatory_role",
        "reason",
        "decided_at",
        "updated_at",
    ]
    inlines = [EndorsementChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
