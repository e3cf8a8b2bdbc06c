"""The application workbench: a changelist with the filters coordinators need, a change page
with the whole dossier, and actions that go through the services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, Max, Min, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from applications.services.deletion import application_deletable, application_delete
from applications.services.eligibility import application_rule_eligible
from audit.exports import audit_csv_response
from audit.selectors import audit_entries_for_application
from coordination.admin.deciding import DecidingActions
from coordination.admin.extensions import extend_deadline
from coordination.admin.filters import (
    CallFilter,
    CountryFilter,
    CountryGroupFilter,
    DisagreementFilter,
    NetworkFilter,
    ReviewProgressFilter,
    ScoreRangeFilter,
)
from coordination.admin.ineligibility import undo_ineligibility
from coordination.admin.information import request_information
from coordination.admin.reports import report_urls
from coordination.dossier import application_dossier
from form_errors import add_service_errors
from networks.admin_scope import NetworkScopedAdmin
from reviews.enums import ACTIVE_ASSIGNMENT
from reviews.models import ReviewerProfile
from reviews.scoring import counted_reviews, reviewers_disagree
from reviews.services.assignments import reviewer_candidates
from workflow.review import application_rule_ineligible
from workflow.reviewers import reviewer_choose

COUNTED_REVIEW = counted_reviews("assignments__")


def workbench_annotations(queryset):
    """Review progress and scores per application, in the same query as the list."""
    return queryset.annotate(
        open_assignments=Count(
            "assignments", filter=Q(assignments__status__in=ACTIVE_ASSIGNMENT), distinct=True
        ),
        reviews_in=Count("assignments__review", filter=COUNTED_REVIEW, distinct=True),
        score=Avg("assignments__review__score", filter=COUNTED_REVIEW),
        score_spread=Max("assignments__review__score", filter=COUNTED_REVIEW)
        - Min("assignments__review__score", filter=COUNTED_REVIEW),
    )


class ReviewerChoiceForm(forms.Form):
    reviewer = forms.TypedChoiceField(
        label=_("Reviewer"), coerce=int, widget=forms.RadioSelect, choices=()
    )
    replacing = forms.TypedChoiceField(
        label=_("In place of"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=(),
        help_text=_("Leave empty to add a reviewer; the replaced assignment is withdrawn."),
    )
    reason = forms.CharField(
        label=_("Reason (recorded in the audit trail)"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, candidates, open_assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [
            (
                c.reviewer.pk,
                gettext("%(reviewer)s — match %(affinity)d%%, %(load)d in this call, %(room)d free")
                % {
                    "reviewer": c.reviewer,
                    "affinity": round(100 * c.affinity),
                    "load": c.load,
                    "room": c.room,
                },
            )
            for c in candidates
        ]
        self.fields["replacing"].choices = [("", "—")] + [
            (a.pk, f"{a.reviewer} ({a.get_status_display()})") for a in open_assignments
        ]


@admin.register(Application)
class ApplicationAdmin(DecidingActions, NetworkScopedAdmin):
    """Applications are read here, never edited: the applicant writes them, and a coordinator
    changes their state only through the actions, which call the services."""

    network_path = "call__network"
    list_display = [
        "institution",
        "country",
        "call",
        "status",
        "tier_requested",
        "review_progress",
        "mean_score",
        "reviewers_disagree",
        "submitted_at",
    ]
    list_filter = [
        "status",
        NetworkFilter,
        CallFilter,
        CountryFilter,
        CountryGroupFilter,
        "institution__type",
        "tier_requested",
        ReviewProgressFilter,
        ScoreRangeFilter,
        DisagreementFilter,
    ]
    search_fields = [
        "institution__name",
        "institution__acronym",
        "institution__city",
        "call__title",
        "representative__email",
    ]
    search_help_text = _("Institution (name, acronym, city), call title or representative email")
    list_select_related = ["institution", "call__network"]
    list_per_page = 50
    change_form_template = "admin/applications/application/change_form.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "public_id",
                    "call",
                    "institution",
                    "status",
                    "tier_requested",
                    "representative",
                    "deputy",
                    "topics",
                    "keywords",
                    "submitted_at",
                    "awaiting_routing_since",
                    "created_by",
                ]
            },
        )
    ]
    actions = [
        "mark_eligible",
        "mark_ineligible",
        undo_ineligibility,
        request_information,
        extend_deadline,
        "assign_reviewer",
        "accept",
        "reject",
        "waitlist",
        "refer",
        "record_opinion",
    ]

    def get_queryset(self, request):
        return workbench_annotations(super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        # The change page is for reading; the actions on the list are the only way to change.
        return obj is None and super().has_change_permission(request)

    def has_add_permission(self, request):
        return False  # institutions apply through the portal

    def has_delete_permission(self, request, obj=None):
        # Only the administrator, and only an application no audit entry names (an untouched
        # draft): entries hash their application's id, so one with a history is withdrawn or
        # decided instead (applications/services/deletion.py).
        if not (request.user.is_active and request.user.is_superuser):
            return False
        return obj is None or application_deletable(obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, through the service
        return actions

    def delete_model(self, request, obj):
        application_delete(application=obj, user=request.user)

    @admin.display(description=_("country"), ordering="institution__country")
    def country(self, application):
        return application.institution.country.code

    @admin.display(description=_("reviews in"), ordering="reviews_in")
    def review_progress(self, application):
        return f"{application.reviews_in}/{application.call.reviews_per_application}"

    @admin.display(description=_("score"), ordering="score")
    def mean_score(self, application):
        return "—" if application.score is None else f"{application.score:.1f}"

    @admin.display(description=_("disagree"), boolean=True)
    def reviewers_disagree(self, application):
        if application.reviews_in < 2 or application.score_spread is None:
            return None
        return reviewers_disagree(
            count=application.reviews_in,
            spread=application.score_spread,
            threshold=application.call.disagreement_threshold,
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            *report_urls(self),
            *self.deciding_urls,
            path(
                "<path:object_id>/reviewers/",
                view(self.reviewers_view),
                name="applications_application_reviewers",
            ),
            path(
                "<path:object_id>/audit.csv",
                view(self.audit_export_view),
                name="applications_application_audit_export",
            ),
            *super().get_urls(),
        ]

    def _scoped_or_404(self, request, object_id) -> Application:
        application = self.get_object(request, object_id)
        if application is None:
            raise Http404
        return application

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(application=obj, dossier=application_dossier(application=obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def reviewers_view(self, request, object_id):
        """Assign a reviewer of the coordinator's choice, or replace one."""
        application = self._scoped_or_404(request, object_id)
        open_assignments = list(
            application.assignments.filter(status__in=ACTIVE_ASSIGNMENT).select_related(
                "reviewer__user"
            )
        )
        candidates = reviewer_candidates(application=application)
        form = ReviewerChoiceForm(
            request.POST or None, candidates=candidates, open_assignments=open_assignments
        )
        if request.method == "POST" and form.is_valid():
            replacing = next(
                (a for a in open_assignments if a.pk == form.cleaned_data["replacing"]), None
            )
            try:
                reviewer_choose(
                    application=application,
                    reviewer=ReviewerProfile.objects.get(pk=form.cleaned_data["reviewer"]),
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    replacing=replacing,
                )
            except (ValidationError, PermissionDenied) as error:
                if isinstance(error, PermissionDenied):
                    error = ValidationError(str(error))
                add_service_errors(form, error)
            else:
                self.message_user(request, gettext("The reviewer is assigned."), messages.SUCCESS)
                return redirect("admin:applications_application_change", application.pk)
        return TemplateResponse(
            request,
            "admin/applications/application/reviewers.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Assign or replace a reviewer"),
                "application": application,
                "open_assignments": open_assignments,
                "form": form,
                "opts": self.model._meta,
            },
        )

    def audit_export_view(self, request, object_id):
        """The application's audit trail as CSV, each row with its hash and its predecessor's."""
        application = self._scoped_or_404(request, object_id)
        entries = audit_entries_for_application(application_id=application.pk)
        return audit_csv_response(entries, f"audit-{application.public_id}.csv")

    @admin.action(description=_("Assign or replace a reviewer…"))
    def assign_reviewer(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, gettext("Choose one application to assign a reviewer to."), messages.ERROR
            )
            return None
        url = reverse("admin:applications_application_reviewers", args=[queryset.first().pk])
        return HttpResponseRedirect(url)

    @admin.action(description=_("Mark eligible (and route to reviewers)"))
    def mark_eligible(self, request, queryset):
        return self._apply(
            request,
            queryset,
            lambda application, _reason: application_rule_eligible(
                application=application, user=request.user
            ),
        )

    @admin.action(description=_("Mark ineligible…"))
    def mark_ineligible(self, request, queryset):
        return self._with_reason(
            request,
            queryset,
            "mark_ineligible",
            _("Mark ineligible"),
            lambda application, reason: application_rule_ineligible(
                application=application, user=request.user, reason=reason
            ),
        )

    def _with_reason(self, request, queryset, action, title, change):
        """Ask for the reason on a page of its own, then make the change for each application."""
        reason = request.POST.get("reason", "").strip()
        if request.POST.get("confirm") and reason:
            return self._apply(request, queryset, change, reason)
        return TemplateResponse(
            request,
            "admin/applications/application/decide.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "queryset": queryset,
                "action": action,
                "reason": reason,
                "error": _("Give the reason.") if request.POST.get("confirm") else "",
                "opts": self.model._meta,
            },
        )

    def _apply(self, request, queryset, change, reason=""):
        done = 0
        for application in queryset.select_related("call__network", "institution"):
            try:
                change(application, reason)
            except (ValidationError, PermissionDenied) as error:
                message = "; ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{application}: {message}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%d application updated.", "%d applications updated.", done) % done,
                messages.SUCCESS,
            )
        return None
