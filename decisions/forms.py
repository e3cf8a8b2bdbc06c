from django import forms
from django.utils.translation import gettext_lazy as _

from decisions.enums import RedressOutcome
from decisions.models import Letter, RedressRequest
from decisions.services.redress import redress_still_contested


class RedressRequestForm(forms.Form):
    reasons = forms.CharField(
        label=_("Your reasons for asking for a review of the decision"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        help_text=_("Say what you think the decision overlooked or got wrong."),
    )

    def clean_reasons(self):
        reasons = self.cleaned_data["reasons"].strip()
        if not reasons:
            raise forms.ValidationError(_("Give your reasons for asking for a review."))
        return reasons


class LetterForm(forms.ModelForm):
    """The subject and body a coordinator may still change while the letter is a draft."""

    class Meta:
        model = Letter
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 20, "cols": 90})}


class RedressDecisionForm(forms.ModelForm):
    """The outcome a coordinator records; both fields are required."""

    class Meta:
        model = RedressRequest
        fields = ["outcome", "outcome_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "outcome" in self.fields:
            self.fields["outcome"].required = True
            self.fields["outcome"].choices = [("", "---------"), *RedressOutcome.choices]
            self.fields["outcome_reason"].required = True
            self.fields["outcome_reason"].help_text = _(
                "Recorded in the audit trail and sent to the applicant."
            )

    def clean(self):
        cleaned = super().clean()
        revised = cleaned.get("outcome") == RedressOutcome.REVISED
        if revised and not redress_still_contested(self.instance):
            self.add_error(
                "outcome",
                _("The application was decided on again since the review was asked for."),
            )
        return cleaned
