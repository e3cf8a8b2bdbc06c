"""The person's own preferred language: chosen on their account page, or with the language
switcher while signed in. Emails are written in it (notifications.services.recipient_language)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.i18n import set_language

from accounts.models import User


class PreferredLanguageForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The empty choice says what it means rather than Django's "---------".
        field = self.fields["preferred_language"]
        field.choices = [("", gettext_lazy("Not chosen"))] + [
            choice for choice in field.choices if choice[0]
        ]


def preferred_language_set(*, user: User, language: str) -> None:
    """Record the person's preferred language: one UPDATE, and the in-memory user in step."""
    User.objects.filter(pk=user.pk).update(preferred_language=language)
    user.preferred_language = language


@login_required
def preferred_language(request):
    """/accounts/language/: the person chooses the language of their emails."""
    form = PreferredLanguageForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        preferred_language_set(user=request.user, language=form.cleaned_data["preferred_language"])
        messages.success(request, _("Your preferred language is saved."))
        return redirect("preferred_language")
    return render(request, "accounts/preferred_language.html", {"form": form})


def language_switch(request):
    """Django's set_language; a signed-in person's choice becomes their preferred language
    too (one UPDATE on this POST, nothing on other requests)."""
    response = set_language(request)
    language = request.POST.get("language") if request.method == "POST" else None
    if (
        language in dict(User._meta.get_field("preferred_language").choices)
        and request.user.is_authenticated
        and request.user.preferred_language != language
    ):
        preferred_language_set(user=request.user, language=language)
    return response
