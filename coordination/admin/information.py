"""The admin's "request more information" action: a page of its own to pick the sections to
reopen, write the message and set the due date in the call's time zone, then the service for
each selected application."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applications.services.information import information_request
from calls.models import Call

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class CallDateTimeField(forms.DateTimeField):
    """A date and time typed in the call's time zone, whatever the coordinator's own zone."""

    def __init__(self, *, zone, **kwargs):
        self.zone = zone
        super().__init__(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
            **kwargs,
        )

    def to_python(self, value):
        # A time that does not exist or is ambiguous there (a daylight saving change) is refused.
        with timezone.override(self.zone):
            return super().to_python(value)

    def prepare_value(self, value):
        with timezone.override(self.zone):
            return super().prepare_value(value)


class InformationRequestForm(forms.Form):
    sections = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Sections to reopen"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one section to reopen.")},
    )
    documents = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Documents to upload again (optional)"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    message = forms.CharField(
        label=gettext_lazy("Message to the applicant (recorded in the audit trail)"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        error_messages={"required": gettext_lazy("Tell the applicant what information is needed.")},
    )

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["sections"].queryset = call.criteria_set.sections.all()
        self.fields["documents"].queryset = call.required_documents.all()
        self.fields["due_at"] = CallDateTimeField(
            zone=call.zone,
            label=_("Due by (time zone %(zone)s)") % {"zone": call.time_zone},
            help_text=_(
                "The applicant can change the reopened sections until then, even after the "
                "call's deadline."
            ),
            error_messages={"required": _("Set the date and time the information is due.")},
        )

    def clean_due_at(self):
        due_at = self.cleaned_data["due_at"]
        if due_at <= timezone.now():
            raise ValidationError(_("The due date must be in the future."))
        return due_at


@admin.action(description=gettext_lazy("Request more information…"))
def request_information(modeladmin, request, queryset):
    """Ask the applicants of one call for more information, reopening the sections chosen."""
    applications = list(
        queryset.select_related("call__network", "call__criteria_set", "institution")
    )
    if not applications:
        # Ids of applications outside the coordinator's networks are scoped away.
        modeladmin.message_user(request, _("No application was chosen."), messages.WARNING)
        return None
    if len({application.call_id for application in applications}) > 1:
        modeladmin.message_user(
            request,
            _(
                "The applications chosen belong to several calls. Request information from "
                "the applications of one call at a time."
            ),
            messages.ERROR,
        )
        return None
    call = applications[0].call
    confirmed = bool(request.POST.get("confirm"))
    form = InformationRequestForm(request.POST if confirmed else None, call=call)
    if confirmed and form.is_valid():
        done = 0
        for application in applications:
            try:
                information_request(application=application, user=request.user, **form.cleaned_data)
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
                ngettext(
                    "Information requested from %d application.",
                    "Information requested from %d applications.",
                    done,
                )
                % done,
                messages.SUCCESS,
            )
        return None
    return TemplateResponse(
        request,
        "admin/applications/application/request_information.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Request more information"),
            "applications": applications,
            "call": call,
            "form": form,
            "action": "request_information",
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
        status=400 if form.errors else 200,
    )
