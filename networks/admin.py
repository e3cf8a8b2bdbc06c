from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from networks.admin_scope import NetworkScopedAdmin
from networks.country_groups import countries_in, country_group_expression
from networks.enums import CountryGroup
from networks.models import (
    Certification,
    Institution,
    Membership,
    Network,
    TaskForce,
    WorkPackage,
)
from networks.rules import is_administrator
from networks.services import membership_grant, membership_grant_problems


class CountryGroupFilter(admin.SimpleListFilter):
    """Filter by EU / EEA / associated / other, from the one maintained country table."""

    title = _("country group")
    parameter_name = "country_group"
    country_field = "country"

    def lookups(self, request, model_admin):
        return CountryGroup.choices

    def queryset(self, request, queryset):
        if self.value() not in CountryGroup.values:
            return queryset
        codes = countries_in(self.value())
        if codes is None:
            return queryset.annotate(
                _country_group=country_group_expression(self.country_field)
            ).filter(_country_group=CountryGroup.OTHER)
        return queryset.filter(**{f"{self.country_field}__in": codes})


class InstitutionCountryGroupFilter(CountryGroupFilter):
    country_field = "institution__country"


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "country", "country_group", "type", "city", "parent"]
    list_filter = [CountryGroupFilter, "type", "country"]
    search_fields = ["name", "acronym", "city", "ror_id"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    inlines = [CertificationInline]

    @admin.display(description=_("country group"))
    def country_group(self, institution):
        return institution.country_group.label


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["institution", "body", "title", "valid_from", "valid_until"]
    list_filter = ["body"]
    search_fields = ["institution__name", "title"]
    list_select_related = ["institution"]
    autocomplete_fields = ["institution"]


@admin.register(WorkPackage)
class WorkPackageAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "kind", "lead_institution", "co_lead_institution"]
    list_display_links = ["number", "title"]
    list_filter = ["kind"]
    search_fields = ["title"]
    list_select_related = ["lead_institution", "co_lead_institution"]
    autocomplete_fields = ["lead_institution", "co_lead_institution"]


@admin.register(TaskForce)
class TaskForceAdmin(admin.ModelAdmin):
    list_display = ["title", "work_package", "position"]
    list_editable = ["position"]
    search_fields = ["title"]
    list_select_related = ["work_package"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "work_package", "member_count"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["coordinators"]
    list_select_related = ["work_package"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not is_administrator(request.user):
            queryset = queryset.filter(coordinators=request.user)
        return queryset.annotate(
            current_members=Count("memberships", filter=Q(memberships__until__isnull=True))
        )

    @admin.display(description=_("current members"), ordering="current_members")
    def member_count(self, network):
        return network.current_members


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["institution", "network", "tier", "since", "until", "reason_ended"]

    def clean(self):
        cleaned = super().clean()
        institution, network, tier = (cleaned.get(k) for k in ("institution", "network", "tier"))
        if self.instance._state.adding and institution and network and tier:
            for problem in membership_grant_problems(
                institution=institution, network=network, tier=tier
            ):
                self.add_error("tier", problem)
        return cleaned


@admin.register(Membership)
class MembershipAdmin(NetworkScopedAdmin):
    network_path = "network"
    form = MembershipAdminForm
    list_display = ["institution", "country", "network", "tier", "since", "until"]
    list_filter = [
        ("network", admin.RelatedOnlyFieldListFilter),
        "tier",
        ("until", admin.EmptyFieldListFilter),
        InstitutionCountryGroupFilter,
    ]
    search_fields = ["institution__name", "institution__acronym"]
    list_select_related = ["institution", "network"]
    autocomplete_fields = ["institution"]
    date_hierarchy = "since"

    def get_readonly_fields(self, request, obj=None):
        # Who, where and in which tier is fixed once admitted; a change is an end and a new grant.
        return ["institution", "network", "tier", "since"] if obj else []

    @admin.display(description=_("country"), ordering="institution__country")
    def country(self, membership):
        return membership.institution.country.name

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # New memberships go through the service so the affiliated-partner rule applies.
        created = membership_grant(
            institution=obj.institution, network=obj.network, tier=obj.tier, since=obj.since
        )
        obj.pk = created.pk
        obj._state.adding = False
