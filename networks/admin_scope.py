"""Admin pages scoped to the networks a coordinator runs: lists, pages, search, autocomplete,
filters and actions all read through one scoped queryset. Administrators see everything."""

from django.contrib import admin

from networks.rules import is_administrator


class NetworkScopedAdmin(admin.ModelAdmin):
    """A model admin whose rows belong to a network through `network_path`.

    `network_path` is the lookup from the model to its network ("call__network", say); an empty
    one leaves the admin unscoped. Because every admin page, search, autocomplete, filter and
    action starts from `get_queryset`, scoping it scopes them all; a row outside the scope is
    simply not found (404), whatever its id.
    """

    network_path = ""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not self.network_path or is_administrator(request.user):
            return queryset
        return queryset.filter(**{f"{self.network_path}__coordinators": request.user}).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A coordinator can only attach things to their own networks and calls.
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if is_administrator(request.user) or field is None:
            return field
        model = db_field.related_model
        if model._meta.label == "networks.Network":
            field.queryset = field.queryset.filter(coordinators=request.user)
        elif model._meta.label == "calls.Call":
            field.queryset = field.queryset.filter(network__coordinators=request.user)
        return field
