"""The secretariat's records in the admin: messages to a call's applicants (written, previewed,
then sent through the outbox) and the deadlines extended for one applicant."""

import hashlib
import json
import uuid

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries as names

from applications.enums import ApplicationStatus
from applications.models import ApplicantMessage, Application, DeadlineExtension
from calls.models import Call
from form_errors import add_service_errors
from instants.formatting import instant_text
from networks.admin_scope import NetworkScopedAdmin, choices_in_scope
from networks.enums import MembershipTier
from workflow.messaging import (
    applicant_message_audience,
    applicant_message_preview,
    applicant_message_send,
)


def in_call_zone(value, call: Call) -> str:
    return instant_text(value, call.time_zone, fmt="j M Y, H:i")


class ApplicantMessageForm(forms.Form):
    statuses = forms.MultipleChoiceField(
        label=gettext_lazy("Applications with the status their applicants know (none ticked: all)"),
        choices=ApplicationStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    countries = forms.MultipleChoiceField(
        label=gettext_lazy("Institutions in the country (none ticked: all)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    tiers = forms.MultipleChoiceField(
        label=gettext_lazy("Asking for the tier (none ticked: all)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        max_length=200,
        error_messages={"required": gettext_lazy("Write the subject.")},
    )
    body = forms.CharField(
        label=gettext_lazy("Message"),
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
        error_messages={"required": gettext_lazy("Write the message.")},
    )
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    # What the preview showed: a message changed since is previewed again, not sent.
    previewed = forms.CharField(widget=forms.HiddenInput, required=False)

    def fingerprint(self) -> str:
        data = self.cleaned_data
        keys = ("statuses", "countries", "tiers", "subject", "body")
        content = json.dumps([data[key] for key in keys], sort_keys=True)
        return hashlib.sha256(content.encode()).hexdigest()

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        countries = (
            Application.objects.filter(call=call)
            .values_list("institution__country", flat=True)
            .distinct()
        )
        self.fields["countries"].choices = sorted(
            ((code, names.name(code) or code) for code in countries), key=lambda c: c[1]
        )
        self.fields["tiers"].choices = [
            (tier, MembershipTier(tier).label) for tier in call.tiers_offered
        ]


@admin.register(ApplicantMessage)
class ApplicantMessageAdmin(NetworkScopedAdmin):
    """Messages sent to applicants: listed and read here; written on the add page, which
    previews the email and how many receive it before anything is sent."""

    network_path = "call__network"
    list_display = ["subject", "call", "recipient_count", "sent_by", "sent_shown"]
    list_filter = [("call", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["call", "sent_by"]
    search_fields = ["subject", "body"]
    fields = [
        "call",
        "subject",
        "body",
        "statuses",
        "countries",
        "tiers",
        "recipient_count",
        "recipients",
        "sent_by",
        "sent_shown",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("sent"), ordering="sent_at")
    def sent_shown(self, message):
        return in_call_zone(message.sent_at, message.call)

    def has_change_permission(self, request, obj=None):
        return False  # a message sent stays as it was sent

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        """Choose the call, write the message and filters, preview it, then send it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        calls = choices_in_scope(
            self.admin_site, Call.objects.select_related("network"), request.user
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Message a call's applicants"),
            "opts": self.model._meta,
        }
        call_id = request.POST.get("call") or request.GET.get("call")
        if not call_id:
            context["calls"] = calls.order_by("-opens_at")
            return TemplateResponse(
                request, "admin/applications/applicantmessage/compose.html", context
            )
        try:
            call = calls.get(pk=int(call_id))
        except (ValueError, Call.DoesNotExist):
            raise Http404 from None
        form = ApplicantMessageForm(request.POST or None, call=call)
        context.update(call=call, form=form)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            filters = {key: data[key] for key in ("statuses", "countries", "tiers")}
            if "send" in request.POST and data["token"] and data["previewed"] == form.fingerprint():
                try:
                    message, sent_now = applicant_message_send(
                        call=call,
                        user=request.user,
                        subject=data["subject"],
                        body=data["body"],
                        token=data["token"],
                        **filters,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    self.message_user(
                        request,
                        _("The message is being sent to %(count)d people.")
                        % {"count": message.recipient_count}
                        if sent_now
                        else _("This message was already sent; it is not sent again."),
                        messages.SUCCESS if sent_now else messages.INFO,
                    )
                    return redirect("admin:applications_applicantmessage_changelist")
            if not form.errors:
                audience = applicant_message_audience(call=call, **filters)
                subject, body = applicant_message_preview(
                    call=call, user=request.user, subject=data["subject"], body=data["body"]
                )
                # A new token for each preview: the send of this preview happens once.
                form.data = form.data.copy()
                form.data["token"] = str(uuid.uuid4())
                form.data["previewed"] = form.fingerprint()
                context.update(audience=audience, preview_subject=subject, preview_body=body)
        return TemplateResponse(
            request,
            "admin/applications/applicantmessage/compose.html",
            context,
            status=400 if form.errors else 200,
        )


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(NetworkScopedAdmin):
    """Deadlines extended for one applicant: granted from the application workbench's action,
    read here."""

    network_path = "application__call__network"
    list_display = ["application", "until_shown", "reason", "granted_by", "granted_shown"]
    list_filter = [("application__call", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["application__call", "application__institution", "granted_by"]
    search_fields = ["application__institution__name", "reason"]
    fields = ["application", "until_shown", "reason", "granted_by", "granted_shown"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("extended deadline"), ordering="until")
    def until_shown(self, extension):
        return in_call_zone(extension.until, extension.application.call)

    @admin.display(description=gettext_lazy("granted"), ordering="granted_at")
    def granted_shown(self, extension):
        return in_call_zone(extension.granted_at, extension.application.call)

    def has_add_permission(self, request):
        return False  # granted through the workbench's action, with its checks

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
