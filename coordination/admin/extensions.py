"""The admin's "extend the deadline" action: a page of its own for the new deadline, typed in
the call's time zone, and the reason; then the service for each selected application."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applications.services.extensions import deadline_extension_grant, deadline_extension_latest
from calls.models import Call
from coordination.admin.information import CallDateTimeField
from form_errors import add_service_errors
from instants.formatting import instant_text


class DeadlineExtensionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (recorded in the audit trail and shown to the applicant)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        error_messages={"required": gettext_lazy("Give the reason for the extension.")},
    )

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "until": CallDateTimeField(
                zone=call.zone,
                label=_("New deadline (time zone %(zone)s)") % {"zone": call.time_zone},
                help_text=_(
                    "After the call's deadline, and at the latest %(latest)s "
                    "(%(days)d days after it)."
                )
                % {
                    "latest": instant_text(
                        deadline_extension_latest(call.deadline), call.time_zone
                    ),
                    "days": settings.DEADLINE_EXTENSION_MAX_DAYS,
                },
                error_messages={"required": _("Set the new deadline.")},
            ),
            **self.fields,
        }


@admin.action(description=gettext_lazy("Extend the deadline…"))
def extend_deadline(modeladmin, request, queryset):
    """Give the chosen applications of one call a later deadline than the call's, with a reason."""
    applications = list(
        queryset.select_related("call__network", "institution", "deadline_extension")
    )
    if not applications:
        modeladmin.message_user(request, _("No application was chosen."), messages.WARNING)
        return None
    if len({application.call_id for application in applications}) > 1:
        modeladmin.message_user(
            request,
            _("The applications chosen belong to several calls. Extend one call's at a time."),
            messages.ERROR,
        )
        return None
    call = applications[0].call
    confirmed = bool(request.POST.get("confirm"))
    form = DeadlineExtensionForm(request.POST if confirmed else None, call=call)
    if confirmed and form.is_valid():
        done = 0
        for application in applications:
            try:
                deadline_extension_grant(
                    application=application, user=request.user, **form.cleaned_data
                )
            except PermissionDenied:
                modeladmin.message_user(
                    request, f"{application}: {_('Not allowed.')}", messages.ERROR
                )
            except ValidationError as error:
                if len(applications) == 1:
                    add_service_errors(form, error)
                    break
                problem = "; ".join(error.messages)
                modeladmin.message_user(request, f"{application}: {problem}", messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(
                request,
                ngettext(
                    "The deadline of %d application is extended.",
                    "The deadlines of %d applications are extended.",
                    done,
                )
                % done,
                messages.SUCCESS,
            )
        if not form.errors:
            return None
    return TemplateResponse(
        request,
        "admin/applications/application/action_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Extend the deadline"),
            "applications": applications,
            "show_deadline": True,
            "intro": _("The call's deadline:") + " " + instant_text(call.deadline, call.time_zone),
            "form": form,
            "action": "extend_deadline",
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
        status=400 if form.errors else 200,
    )
