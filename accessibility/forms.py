from django import forms
from django.utils.translation import gettext_lazy as _

from accessibility.models import AccessibilityFeedback


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = AccessibilityFeedback
        fields = ["name", "email", "page", "message"]
        labels = {
            "name": _("Your name (optional)"),
            "email": _("Your email address"),
            "page": _("Page or content concerned (optional)"),
            "message": _("What is the problem, or what do you need?"),
        }
        help_texts = {"email": _("We answer to this address.")}
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "message": forms.Textarea(attrs={"rows": 6}),
        }

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Tell us what the problem is."))
        return message
