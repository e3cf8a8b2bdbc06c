"""The admin's "undo the ruling of ineligibility" action: a page of its own for the reason and
where the application goes back to (submitted, for the automatic check, or eligible), then the
service for each selected application."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applications.enums import ApplicationStatus
from applications.services.eligibility import application_ineligibility_undo


class IneligibilityUndoForm(forms.Form):
    to_status = forms.ChoiceField(
        label=gettext_lazy("Bring the application back as"),
        widget=forms.RadioSelect,
        choices=[
            (
                ApplicationStatus.SUBMITTED.value,
                gettext_lazy("Submitted: the automatic eligibility check runs again"),
            ),
            (
                ApplicationStatus.ELIGIBLE.value,
                gettext_lazy("Eligible: routed to reviewers at once"),
            ),
        ],
        initial=ApplicationStatus.SUBMITTED.value,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (recorded in the audit trail)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        error_messages={"required": gettext_lazy("Give the reason the ruling is undone.")},
    )


@admin.action(description=gettext_lazy("Undo the ruling of ineligibility…"))
def undo_ineligibility(modeladmin, request, queryset):
    """Bring ineligible applications back, with a reason; they are routed as usual."""
    applications = list(queryset.select_related("call__network", "institution"))
    if not applications:
        modeladmin.message_user(request, _("No application was chosen."), messages.WARNING)
        return None
    confirmed = bool(request.POST.get("confirm"))
    form = IneligibilityUndoForm(request.POST if confirmed else None)
    if confirmed and form.is_valid():
        done = 0
        for application in applications:
            try:
                application_ineligibility_undo(
                    application=application,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    to_status=ApplicationStatus(form.cleaned_data["to_status"]),
                )
            except (ValidationError, PermissionDenied) as error:
                problem = "; ".join(
                    getattr(error, "messages", None) or [str(error) or _("Not allowed.")]
                )
                modeladmin.message_user(request, f"{application}: {problem}", messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(
                request,
                ngettext("%d application brought back.", "%d applications brought back.", done)
                % done,
                messages.SUCCESS,
            )
        return None
    return TemplateResponse(
        request,
        "admin/applications/application/action_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Undo the ruling of ineligibility"),
            "applications": applications,
            "form": form,
            "action": "undo_ineligibility",
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
        status=400 if form.errors else 200,
    )
