from django import forms
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.signup import SignupForm as AccountSignupForm
from privacy.services.notice import SESSION_KEY, notice_accept, notice_current


def _accept_label():
    return format_html(
        '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
        _("I have read the"),
        reverse_lazy("privacy:notice"),
        _("privacy notice (opens in a new tab)"),
    )


class SignupForm(AccountSignupForm):
    """allauth's sign-up form with the person's name (accounts) and the privacy notice's
    checkbox: signing up records the acceptance of the version in force."""

    accept_privacy_notice = forms.BooleanField(
        label=lazy(_accept_label, str)(),
        required=True,
        error_messages={"required": _("Please read and accept the privacy notice to sign up.")},
    )

    field_order = ["name", "email", "password1", "password2", "accept_privacy_notice"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Before any notice is published (a fresh database) there is nothing to accept.
        if notice_current() is None:
            del self.fields["accept_privacy_notice"]

    def signup(self, request, user):
        super().signup(request, user)
        notice = notice_current()
        if notice is not None:
            notice_accept(user=user, notice=notice)
            request.session[SESSION_KEY] = notice.version


class NoticeAcceptForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read this privacy notice"),
        required=True,
        error_messages={"required": _("Please tick the box to say you have read the notice.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
