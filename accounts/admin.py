from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Affiliation, Invitation, JoinRequest, User
from instants.admin_fields import TimesWithZoneAdmin


@admin.register(User)
class UserAdmin(TimesWithZoneAdmin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal information"), {"fields": ["name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]}),
    ]


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ["user", "institution", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "institution__name"]
    list_select_related = ["user", "institution"]
    autocomplete_fields = ["user", "institution"]


@admin.register(Invitation)
class InvitationAdmin(TimesWithZoneAdmin, admin.ModelAdmin):
    list_display = ["email", "institution", "role", "created_at", "expires_at", "accepted_at"]
    list_select_related = ["institution"]
    search_fields = ["email", "institution__name"]
    readonly_fields = ["token"]


@admin.register(JoinRequest)
class JoinRequestAdmin(TimesWithZoneAdmin, admin.ModelAdmin):
    list_display = ["user", "institution", "created_at", "decided_at", "approved"]
    list_select_related = ["user", "institution"]
    search_fields = ["user__email", "institution__name"]
