"""Admin pages scoped to the networks a coordinator runs: lists, pages, search, autocomplete,
filters, actions and the choices of every form all read through one scope. Administrators see
everything."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.exceptions import NotRegistered
from django.db.models import Q, QuerySet
from django.utils.html import format_html
from django.utils.translation import gettext as _

from instants.admin_fields import TimesWithZoneAdmin
from networks.models import Network
from networks.rules import is_administrator
from networks.selectors import networks_coordinated_by


def _multivalued(model, path: str) -> bool:
    """Whether the lookup `path` from `model` crosses a many-to-many or a reverse foreign key."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


class NetworkScopedAdmin(TimesWithZoneAdmin, admin.ModelAdmin):
    """A model admin whose rows belong to a network through `network_path`.

    `network_path` is the lookup from the model to its network ("call__network", say); an empty
    one leaves the admin unscoped. Because every admin page, search, autocomplete, filter and
    action starts from `get_queryset`, scoping it scopes them all; a row outside the scope is
    simply not found (404), whatever its id.

    The choices of the forms are scoped the same way: a foreign key or many-to-many field whose
    model is a network, or has a scoped admin of its own, offers and accepts only the rows that
    admin shows the user. A coordinator cannot point a record at another network's call or
    network, even by posting a forged id.

    With `shared_rows_visible`, rows with no network (a criteria set several networks share,
    say) are shown to every coordinator too; the admin decides who may change them.
    """

    network_path = ""
    shared_rows_visible = False
    # A changelist counts the rows its filters keep, not once more every row in scope: the
    # second COUNT over the applications or assignments is the dearest query of the page.
    show_full_result_count = False

    def scoped(self, queryset: QuerySet, user) -> QuerySet:
        """The rows of `queryset` in the networks the user coordinates; all for administrators."""
        if not self.network_path or is_administrator(user):
            return queryset
        in_scope = Q(**{f"{self.network_path}__in": networks_coordinated_by(user=user)})
        if self.shared_rows_visible:
            in_scope |= Q(**{f"{self.network_path}__isnull": True})
        queryset = queryset.filter(in_scope)
        # A path through foreign keys only ("call__network") matches each row once; DISTINCT,
        # over a changelist's annotated rows, is the dearest part of its query.
        return queryset.distinct() if _multivalued(queryset.model, self.network_path) else queryset

    def action_checkbox(self, obj):
        # Django's markup, written out: rendering a CheckboxInput through the form renderer for
        # every row was a third of a changelist's rendering.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(_("Select this object for an action - {}"), str(obj)),
        )

    def get_queryset(self, request):
        return self.scoped(super().get_queryset(request), request.user)

    def get_field_queryset(self, db, db_field, request):
        # Both foreign keys and many-to-many fields take their choices from here.
        queryset = super().get_field_queryset(db, db_field, request)
        if is_administrator(request.user):
            return queryset
        model = db_field.remote_field.model
        if queryset is None:
            queryset = model._default_manager.using(db)
        return choices_in_scope(self.admin_site, queryset, request.user)


def choices_in_scope(site: admin.AdminSite, queryset: QuerySet, user) -> QuerySet:
    """The rows of `queryset` a coordinator may choose on a form: their own networks, or what
    the model's own scoped admin shows them. Models no network owns are left as they are."""
    if queryset.model is Network:
        return queryset.filter(pk__in=networks_coordinated_by(user=user))
    try:
        related_admin = site.get_model_admin(queryset.model)
    except NotRegistered:
        return queryset
    if isinstance(related_admin, NetworkScopedAdmin):
        return related_admin.scoped(queryset, user)
    return queryset


class NetworkListFilter(admin.RelatedOnlyFieldListFilter):
    """Filter by network, offering only the networks of the rows listed that the user
    coordinates: a row shared with another network (a reviewer in two, say) does not name it."""

    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        if is_administrator(request.user):
            return choices
        own = set(networks_coordinated_by(user=request.user).values_list("pk", flat=True))
        return [(pk, label) for pk, label in choices if pk in own]
