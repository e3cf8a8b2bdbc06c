import zoneinfo

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from calls import schedule
from calls.models import (
    Call,
    CriteriaSection,
    CriteriaSet,
    Criterion,
    RequiredDocument,
    SuspensionPeriod,
)
from calls.rules import may_edit_criteria_set
from calls.selectors import criteria_sets_editable_by
from calls.services import criteria_set_new_version
from coordination.admin.call_setup import CallSetUpAdmin
from coordination.widgets import CountryPicker, LabelledSplitDateTime
from instants.admin_fields import TimesWithZoneAdmin
from networks.admin_scope import NetworkListFilter, NetworkScopedAdmin
from networks.rules import is_administrator
from networks.selectors import networks_coordinated_by
from reviews.services.batch import routing_run_start


class SuspensionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        opens_at = self.instance.opens_at
        closes_at = self.instance.closes_at
        if not (opens_at and closes_at):
            return
        pauses = [
            schedule.Pause(form.cleaned_data["starts_at"], form.cleaned_data["ends_at"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("starts_at")
            and form.cleaned_data.get("ends_at")
        ]
        schedule.validate_pauses(opens_at=opens_at, closes_at=closes_at, pauses=pauses)


class SuspensionPeriodInline(TimesWithZoneAdmin, admin.TabularInline):
    model = SuspensionPeriod
    formset = SuspensionFormSet
    extra = 0


class RequiredDocumentInline(admin.StackedInline):
    model = RequiredDocument
    extra = 0


@admin.register(Call)
class CallAdmin(CallSetUpAdmin, NetworkScopedAdmin):
    network_path = "network"
    list_display = [
        "title",
        "network",
        "status",
        "opens",
        "deadline",
        "is_published",
        "workbench",
    ]
    list_filter = [("network", admin.RelatedOnlyFieldListFilter), "is_published"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["network"]
    autocomplete_fields = ["criteria_set"]
    inlines = [SuspensionPeriodInline, RequiredDocumentInline]
    actions = ["plan_reviewer_assignment"]
    fieldsets = [
        (None, {"fields": ["network", "title", "slug", "summary", "body", "is_published"]}),
        (_("Window"), {"fields": ["time_zone", "opens_at", "closes_at"]}),
        (_("National endorsement"), {"fields": ["endorsement_route", "endorsement_closes_at"]}),
        (
            _("Eligibility"),
            {
                "fields": [
                    "admitted_country_groups",
                    "admitted_countries",
                    "admitted_institution_types",
                    "tiers_offered",
                ]
            },
        ),
        (
            _("Assessment"),
            {
                "fields": [
                    "criteria_set",
                    "reviews_per_application",
                    "review_days",
                    "reviews_due_at",
                    "exclude_same_country_reviewers",
                    "disagreement_threshold",
                ]
            },
        ),
        (_("Decision"), {"fields": ["redress_days"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("suspensions")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "admitted_countries":
            kwargs["widget"] = CountryPicker
        elif isinstance(db_field, models.DateTimeField):
            kwargs["widget"] = LabelledSplitDateTime
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.action(description=_("Plan the reviewer assignment of the whole call"))
    def plan_reviewer_assignment(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one call."), messages.ERROR)
            return None
        run = routing_run_start(call=queryset.get(), user=request.user)
        self.message_user(
            request,
            _("The assignment is being computed; nothing changes until you apply it."),
            messages.INFO,
        )
        return redirect("admin:reviews_routingrun_change", run.pk)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Times on this page are read and written in the call's own time zone, so a coordinator
        # types "23:59" as the call text says it, and a time skipped or repeated by a daylight
        # saving change is refused beside its field.
        zone = self._call_zone(request, object_id)
        extra_context = {**(extra_context or {}), "subtitle": _("Times in %s") % zone}
        with timezone.override(zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()
        return response

    def _call_zone(self, request, object_id) -> zoneinfo.ZoneInfo:
        name = request.POST.get("time_zone")
        if not name and object_id:
            calls = self.scoped(Call.objects.filter(pk=object_id), request.user)
            name = calls.values_list("time_zone", flat=True).first()
        try:
            return zoneinfo.ZoneInfo(name or settings.DEFAULT_CALL_TIME_ZONE)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.DEFAULT_CALL_TIME_ZONE)

    @admin.display(description=_("applications"))
    def workbench(self, call):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:applications_application_changelist") + f"?call__id__exact={call.pk}",
            _("list"),
            reverse("admin:applications_application_ranking", args=[call.pk]),
            _("ranking and composition"),
        )

    @admin.display(description=_("status"))
    def status(self, call):
        return call.status.label

    @admin.display(description=_("opens"), ordering="opens_at")
    def opens(self, call):
        return timezone.localtime(call.opens_at, call.zone).strftime("%Y-%m-%d %H:%M %Z")

    @admin.display(description=_("deadline"), ordering="closes_at")
    def deadline(self, call):
        return timezone.localtime(call.deadline, call.zone).strftime("%Y-%m-%d %H:%M %Z")


class CriteriaSetScopedAdmin(NetworkScopedAdmin):
    """A criteria set, and its sections and criteria, belong to the set's network.

    A coordinator sees their networks' sets and the shared ones (no network), which their calls
    may use too; they change, and add sections and criteria to, only the sets
    calls.rules.may_edit_criteria_set allows: their networks' sets that are not locked. A locked
    set and everything in it can be viewed but not changed: copy it as a new version instead.
    """

    shared_rows_visible = True

    def _criteria_set_of(self, obj) -> CriteriaSet:
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and not may_edit_criteria_set(request.user, self._criteria_set_of(obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not may_edit_criteria_set(request.user, self._criteria_set_of(obj)):
            return False
        return super().has_delete_permission(request, obj)


class CriteriaSetPartInline:
    """An inline of a set's page (or a section's) that follows the page: it can be changed,
    added to and emptied only where the set itself can be changed."""

    def _criteria_set_of(self, parent) -> CriteriaSet:
        raise NotImplementedError

    def _editable(self, request, parent) -> bool:
        return parent is None or may_edit_criteria_set(request.user, self._criteria_set_of(parent))

    def has_add_permission(self, request, obj):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


class CriteriaSectionInline(CriteriaSetPartInline, admin.TabularInline):
    model = CriteriaSection
    extra = 0
    show_change_link = True

    def _criteria_set_of(self, parent):
        return parent


class CriterionInline(CriteriaSetPartInline, admin.StackedInline):
    model = Criterion
    extra = 0

    def _criteria_set_of(self, parent):
        return parent.criteria_set


@admin.register(CriteriaSet)
class CriteriaSetAdmin(CriteriaSetScopedAdmin):
    network_path = "network"
    list_display = ["name", "version", "network", "locked_at"]
    list_filter = [
        ("network", NetworkListFilter),
        ("locked_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name"]
    list_select_related = ["network"]
    fields = ["name", "version", "network", "description", "locked_at"]
    readonly_fields = ["locked_at"]
    inlines = [CriteriaSectionInline]
    actions = ["copy_as_new_version"]

    def _criteria_set_of(self, obj):
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not is_administrator(request.user) and "network" in form.base_fields:
            form.base_fields["network"].required = True  # only administrators keep shared sets
        return form

    @admin.action(description=_("Copy as a new version"), permissions=["add"])
    def copy_as_new_version(self, request, queryset):
        own = list(networks_coordinated_by(user=request.user))
        copied = 0
        for criteria_set in queryset:
            # A coordinator's copy of a shared set is their network's, if that is unambiguous.
            network = None
            if criteria_set.network_id is None and not is_administrator(request.user):
                if len(own) != 1:
                    self.message_user(
                        request,
                        _(
                            "%(set)s is shared, and you coordinate several networks: ask an "
                            "administrator to copy it for one of them."
                        )
                        % {"set": criteria_set},
                        messages.ERROR,
                    )
                    continue
                network = own[0]
            try:
                criteria_set_new_version(criteria_set=criteria_set, network=network)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
                return
            copied += 1
        if copied:
            self.message_user(
                request,
                ngettext("Copied %d criteria set.", "Copied %d criteria sets.", copied) % copied,
                messages.SUCCESS,
            )


@admin.register(CriteriaSection)
class CriteriaSectionAdmin(CriteriaSetScopedAdmin):
    network_path = "criteria_set__network"
    list_display = ["title", "criteria_set", "position"]
    list_filter = [("criteria_set", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title"]
    list_select_related = ["criteria_set"]
    inlines = [CriterionInline]

    def _criteria_set_of(self, obj):
        return obj.criteria_set

    def get_field_queryset(self, db, db_field, request):
        if db_field.name == "criteria_set":
            # Sections go only into sets the user may change: not another network's, not locked.
            return criteria_sets_editable_by(user=request.user).using(db)
        return super().get_field_queryset(db, db_field, request)


@admin.register(Criterion)
class CriterionAdmin(CriteriaSetScopedAdmin):
    network_path = "section__criteria_set__network"
    list_display = ["code", "title", "section", "answer_type", "weight", "score_min", "score_max"]
    list_filter = ["answer_type", ("section__criteria_set", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "title"]
    list_select_related = ["section__criteria_set"]

    def _criteria_set_of(self, obj):
        return obj.section.criteria_set

    def get_field_queryset(self, db, db_field, request):
        if db_field.name == "section":
            # Criteria go only into sections of sets the user may change.
            editable = criteria_sets_editable_by(user=request.user)
            return CriteriaSection.objects.using(db).filter(criteria_set__in=editable)
        return super().get_field_queryset(db, db_field, request)


@admin.register(SuspensionPeriod)
class SuspensionPeriodAdmin(NetworkScopedAdmin):
    network_path = "call__network"
    list_display = ["call", "starts_at", "ends_at", "reason"]
    list_select_related = ["call"]
    search_fields = ["call__title", "reason"]

    # Suspensions are added and changed on their call's page, checked against its window.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RequiredDocument)
class RequiredDocumentAdmin(NetworkScopedAdmin):
    network_path = "call__network"
    list_display = ["title", "call", "kind", "mandatory", "max_size_mb"]
    list_filter = ["kind", "mandatory"]
    search_fields = ["title", "call__title"]
    list_select_related = ["call"]
