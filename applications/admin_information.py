"""The admin's "request more information" action (being built)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


@admin.action(description=_("Request more information…"))
def request_information(modeladmin, request, queryset):
    return None
