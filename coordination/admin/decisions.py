from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coordination.admin.filters import call_filter
from decisions.enums import LetterStatus, ProposalStatus, RedressOutcome
from decisions.forms import LetterForm, RedressDecisionForm
from decisions.models import Letter, LetterTemplate, RedressRequest
from decisions.services.letters import (
    letter_body_on_release,
    letter_edit,
    letter_send_again,
)
from networks.admin_scope import NetworkScopedAdmin
from networks.rules import is_administrator
from workflow.decision import decision_release, redress_decide

# Its choices from the calls table, not a DISTINCT over the rows listed.
APPLICATION_CALL_FILTER = call_filter("application__call")


def _messages_of(error: Exception) -> str:
    return "; ".join(getattr(error, "messages", [str(error)]))


@admin.register(LetterTemplate)
class LetterTemplateAdmin(NetworkScopedAdmin):
    """Coordinators keep their networks' letters (and per-call overrides); administrators also
    the portal's defaults, which have no network."""

    network_path = "network"
    list_display = ["outcome", "network", "call", "subject", "updated_at"]
    list_filter = ["outcome", ("network", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["network", "call"]
    search_fields = ["subject", "body"]
    fields = ["outcome", "network", "call", "subject", "body"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not is_administrator(request.user) and "network" in form.base_fields:
            form.base_fields["network"].required = True  # only administrators keep defaults
        return form


class RedressPendingFilter(admin.SimpleListFilter):
    title = _("outcome")
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return [("pending", _("Not decided yet")), *RedressOutcome.choices]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(outcome="")
        if self.value():
            return queryset.filter(outcome=self.value())
        return queryset


@admin.register(Letter)
class LetterAdmin(NetworkScopedAdmin):
    """The outbox: letters wait here as drafts until a coordinator releases them."""

    network_path = "application__call__network"
    form = LetterForm
    list_display = [
        "institution",
        "call",
        "outcome",
        "status",
        "board",
        "created_at",
        "released_at",
        "sent_at",
        "attempts",
    ]
    list_filter = [
        APPLICATION_CALL_FILTER,
        "outcome",
        "status",
    ]
    search_fields = ["application__institution__name", "subject"]
    actions = ["release", "send_again"]
    readonly_fields = [
        "application_link",
        "outcome",
        "status",
        "board",
        "preview",
        "released_by",
        "released_at",
        "sent_at",
        "recipients",
        "attempts",
        "last_error",
    ]
    fieldsets = [
        (None, {"fields": ["application_link", "outcome", "status", "board"]}),
        (_("Letter"), {"fields": ["subject", "body", "preview"]}),
        (
            _("Sending"),
            {
                "fields": [
                    "released_by",
                    "released_at",
                    "sent_at",
                    "recipients",
                    "attempts",
                    "last_error",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        # Also what the list shows: Django skips list_select_related once this is set.
        return (
            super()
            .get_queryset(request)
            .select_related(
                "application__call",
                "application__institution",
                "released_by",
                "decision__proposal",
            )
        )

    def has_add_permission(self, request):
        return False  # drafted by the decision itself

    @admin.display(description=_("decision board"))
    def board(self, letter):
        """Whether the board approved the decision: only then can the letter be released."""
        proposal = getattr(letter.decision, "proposal", None)
        if proposal is None:
            return _("Not proposed to the board: cannot be released")
        if proposal.status != ProposalStatus.APPROVED:
            return _("%(status)s: cannot be released until the board approves it") % {
                "status": proposal.get_status_display()
            }
        return proposal.get_status_display()

    def has_delete_permission(self, request, obj=None):
        return False  # a record of what was decided and sent

    def has_change_permission(self, request, obj=None):
        # A released letter is a record of what was sent: it can be read, not changed.
        if obj is not None and not obj.is_draft:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("institution"), ordering="application__institution__name")
    def institution(self, letter):
        return letter.application.institution

    @admin.display(description=_("call"), ordering="application__call__title")
    def call(self, letter):
        return letter.application.call

    @admin.display(description=_("application"))
    def application_link(self, letter):
        url = reverse("admin:applications_application_change", args=[letter.application_id])
        return format_html('<a href="{}">{}</a>', url, letter.application)

    @admin.display(description=_("as the applicant will read it"))
    def preview(self, letter):
        body = letter.body
        if letter.is_draft:
            # The redress period starts on release: shown as if released now.
            body = letter_body_on_release(letter, released_at=timezone.now())
        return format_html(
            '<div class="letter-preview"><p><strong>{}</strong></p>{}</div>',
            letter.subject,
            # The body is the coordinator's text, escaped, in paragraphs as the email shows it.
            mark_safe(linebreaks(body, autoescape=True)),
        )

    def save_model(self, request, obj, form, change):
        letter_edit(
            letter=obj,
            user=request.user,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
        )

    @admin.action(description=_("Release the letters (send them and show the decisions)…"))
    def release(self, request, queryset):
        letters = list(
            # The network too: releasing checks that the user coordinates it, letter by letter.
            queryset.select_related(
                "application__institution", "application__call__network", "decision__proposal"
            ).order_by("application__institution__name", "pk")
        )
        for letter in letters:
            proposal = getattr(letter.decision, "proposal", None)
            letter.approved = proposal is not None and proposal.status == ProposalStatus.APPROVED
        if not request.POST.get("confirm"):
            return TemplateResponse(
                request,
                "admin/decisions/letter/release.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Release the decision letters"),
                    "letters": letters,
                    "drafts": [letter for letter in letters if letter.is_draft and letter.approved],
                    "waiting": [
                        letter for letter in letters if letter.is_draft and not letter.approved
                    ],
                    "opts": self.model._meta,
                },
            )
        released = 0
        for letter in letters:
            try:
                decision_release(letter=letter, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{letter}: {_messages_of(error)}", messages.ERROR)
            else:
                released += 1
        if released:
            self.message_user(
                request,
                ngettext(
                    "%d letter released; it is being sent.",
                    "%d letters released; they are being sent.",
                    released,
                )
                % released,
                messages.SUCCESS,
            )
        return None

    release.allowed_permissions = ("change",)

    @admin.action(description=_("Send again the letters whose sending failed"))
    def send_again(self, request, queryset):
        sent_again = 0
        for letter in queryset.filter(status=LetterStatus.FAILED).select_related(
            "application__institution", "application__call__network"
        ):
            try:
                letter_send_again(letter=letter, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{letter}: {_messages_of(error)}", messages.ERROR)
            else:
                sent_again += 1
        self.message_user(
            request,
            ngettext(
                "%d letter is being sent again.", "%d letters are being sent again.", sent_again
            )
            % sent_again,
            messages.SUCCESS if sent_again else messages.WARNING,
        )

    send_again.allowed_permissions = ("change",)


@admin.register(RedressRequest)
class RedressRequestAdmin(NetworkScopedAdmin):
    """Requests for review of a decision; a coordinator records each one's outcome."""

    network_path = "application__call__network"
    form = RedressDecisionForm
    list_display = ["application", "requested_by", "requested_at", "outcome_shown", "decided_at"]
    list_filter = [APPLICATION_CALL_FILTER, RedressPendingFilter]
    search_fields = ["application__institution__name", "reasons"]
    readonly_fields = [
        "application",
        "letter_link",
        "reasons",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
    ]
    fields = [
        "application",
        "letter_link",
        "reasons",
        "requested_by",
        "requested_at",
        "outcome",
        "outcome_reason",
        "decided_by",
        "decided_at",
    ]

    def get_queryset(self, request):
        # Also what the list shows: Django skips list_select_related once this is set.
        return (
            super()
            .get_queryset(request)
            .select_related(
                "application__call__network",
                "application__institution",
                "letter",
                "ruling",
                "requested_by",
            )
        )

    def has_add_permission(self, request):
        return False  # asked for by applicants

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # decided_at, not the outcome: a form sent back with errors has set the outcome already.
        if obj is not None and obj.decided_at is not None:
            fields += ["outcome", "outcome_reason"]
        return fields

    @admin.display(description=_("outcome"), ordering="outcome")
    def outcome_shown(self, redress):
        return redress.get_outcome_display() or _("Not decided yet")

    @admin.display(description=_("decision letter"))
    def letter_link(self, redress):
        if redress.letter_id is None:
            ruled = timezone.localtime(redress.ruling.at, redress.application.call.zone)
            return _("None: the review asked for is of the ruling of ineligibility of %(at)s") % {
                "at": f"{ruled:%Y-%m-%d %H:%M %Z}"
            }
        url = reverse("admin:decisions_letter_change", args=[redress.letter_id])
        return format_html('<a href="{}">{}</a>', url, redress.letter)

    def save_model(self, request, obj, form, change):
        redress_decide(
            redress=obj,
            user=request.user,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["outcome_reason"],
        )
