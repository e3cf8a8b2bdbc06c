"""The workbench's decisions and opinions: coordinators propose decisions to the decision board
(warned, and asked for an override with a reason, when deciding is premature), and record the
network's opinion on an application. Mixed into the application admin."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationStatus
from decisions.models import Opinion
from decisions.services.opinions import opinion_give
from form_errors import add_service_errors
from workflow.decision import application_decide, decision_warnings


class OpinionForm(forms.Form):
    favourable = forms.TypedChoiceField(
        label=_("The network's opinion"),
        choices=[("yes", _("Favourable")), ("no", _("Unfavourable"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons (recorded in the audit trail)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
    )

    def give(self, *, application, user) -> bool:
        """Record the opinion through its service; its refusal is shown on the form."""
        try:
            opinion_give(
                application=application,
                user=user,
                favourable=self.cleaned_data["favourable"],
                reasons=self.cleaned_data["reasons"],
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                error = ValidationError(str(error))
            add_service_errors(self, error)
            return False
        return True


class DecidingActions:
    """Accept, reject, waitlist, refer (proposals to the decision board), and the opinion."""

    @property
    def deciding_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/opinion/",
                view(self.opinion_view),
                name="applications_application_opinion",
            )
        ]

    def accept(self, request, queryset):
        return self._decision(request, queryset, "accept", _("Accept"), ApplicationStatus.ACCEPTED)

    accept.short_description = _("Propose to accept…")

    def reject(self, request, queryset):
        return self._decision(request, queryset, "reject", _("Reject"), ApplicationStatus.REJECTED)

    reject.short_description = _("Propose to reject…")

    def waitlist(self, request, queryset):
        title = _("Put on the waiting list")
        return self._decision(request, queryset, "waitlist", title, ApplicationStatus.WAITLISTED)

    waitlist.short_description = _("Propose to put on the waiting list…")

    def refer(self, request, queryset):
        title = _("Refer to the decision board")
        return self._decision(request, queryset, "refer", title, ApplicationStatus.REFERRED)

    refer.short_description = _("Refer to the decision board…")

    def record_opinion(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request,
                gettext("Choose one application to record the network's opinion on."),
                messages.ERROR,
            )
            return None
        url = reverse("admin:applications_application_opinion", args=[queryset.first().pk])
        return HttpResponseRedirect(url)

    record_opinion.short_description = _("Record the network's opinion…")

    def _decision(self, request, queryset, action, title, outcome):
        """A page asking for the reason, showing why deciding now is premature and asking for
        an override with its reason then; the proposal is made for each application."""
        post = request.POST
        reason = post.get("reason", "").strip()
        override = bool(post.get("override"))
        override_reason = post.get("override_reason", "").strip()
        applications = list(queryset.select_related("call__network", "institution"))
        premature = [(a, w) for a in applications if (w := decision_warnings(a))]
        errors = {}
        if post.get("confirm"):
            if not reason:
                errors["reason"] = gettext("Give the reason.")
            if premature and not override:
                errors["override"] = gettext(
                    "Deciding now is premature: tick to decide anyway, and say why."
                )
            if premature and override and not override_reason:
                errors["override_reason"] = gettext("Give the reason for deciding before time.")
            if not errors:
                return self._apply(
                    request,
                    queryset,
                    lambda application, reason: application_decide(
                        application=application,
                        user=request.user,
                        outcome=outcome,
                        reason=reason,
                        override=override,
                        override_reason=override_reason,
                    ),
                    reason,
                )
        return TemplateResponse(
            request,
            "admin/applications/application/decide.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "queryset": applications,
                "action": action,
                "reason": reason,
                "error": errors.get("reason", ""),
                "decision": True,
                "premature": premature,
                "override": override,
                "override_reason": override_reason,
                "override_error": errors.get("override", ""),
                "override_reason_error": errors.get("override_reason", ""),
                "opts": self.model._meta,
            },
        )

    def opinion_view(self, request, object_id):
        """Record the network's opinion on one application (replacing an earlier one)."""
        application = self._scoped_or_404(request, object_id)
        current = Opinion.objects.filter(application=application).first()
        initial = {}
        if current is not None:
            initial = {
                "favourable": "yes" if current.favourable else "no",
                "reasons": current.reasons,
            }
        form = OpinionForm(request.POST or None, initial=initial)
        if (
            request.method == "POST"
            and form.is_valid()
            and form.give(application=application, user=request.user)
        ):
            self.message_user(
                request, gettext("The network's opinion is recorded."), messages.SUCCESS
            )
            return redirect("admin:applications_application_change", application.pk)
        return TemplateResponse(
            request,
            "admin/applications/application/opinion.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("The network's opinion"),
                "application": application,
                "current": current,
                "form": form,
                "opts": self.model._meta,
            },
        )
