from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationStatus

APPROVE, SEND_BACK = "approve", "send_back"


class BoardActionForm(forms.Form):
    """One action on the proposals ticked: approve them, or send them back with a reason."""

    proposals = forms.TypedMultipleChoiceField(
        label=_("Proposals"), coerce=int, widget=forms.CheckboxSelectMultiple, choices=()
    )
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[(APPROVE, _("Approve")), (SEND_BACK, _("Send back to the coordinators"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (required to send back; recorded and shown to the coordinators)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].choices = [(p.pk, str(p)) for p in proposals]
        self.fields["proposals"].error_messages["required"] = _("Tick at least one proposal.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == SEND_BACK and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for sending the proposals back."))
        return cleaned


class SettleForm(forms.Form):
    """The board's own decision on a referred application."""

    outcome = forms.ChoiceField(
        label=_("The board's decision"),
        choices=[
            (ApplicationStatus.ACCEPTED, _("Accept")),
            (ApplicationStatus.REJECTED, _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (recorded and announced in the letter)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
