from django import forms
from django.utils.translation import gettext_lazy as _


class ErasureRequestForm(forms.Form):
    """Asking to be erased: the password confirms it is the person, the reason is optional."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To confirm it is you."),
    )
    reason = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that my account will be closed and my name and email removed "
            "everywhere in the portal."
        )
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="password")
        return password


class ErasureRefusalForm(forms.Form):
    """The secretariat's reason for refusing, emailed to the person."""

    reason = forms.CharField(
        label=_("Reason for refusing (sent to the person)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
