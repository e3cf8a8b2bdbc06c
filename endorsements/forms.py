from django import forms
from django.utils.translation import gettext_lazy as _

from endorsements.enums import EndorserDecision


class EndorsementDecisionForm(forms.Form):
    """A national endorser's decision on one application, signed with a name and a role."""

    decision = forms.ChoiceField(label=_("Your decision"), widget=forms.RadioSelect)
    signatory_name = forms.CharField(label=_("Name of the signatory"), max_length=200)
    signatory_role = forms.CharField(
        label=_("Role of the signatory"),
        max_length=200,
        help_text=_("For example: Director-General for Health."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
        help_text=_("Required when you decline; shown to the network's coordinators."),
    )

    def __init__(self, *args, decisions: list[EndorserDecision], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(d.value, d.label) for d in decisions]

    def clean(self):
        data = super().clean()
        if data.get("decision") == EndorserDecision.DECLINE and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the endorsement is declined."))
        return data
