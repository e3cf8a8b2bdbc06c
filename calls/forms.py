from django import forms
from django.utils.translation import gettext_lazy as _

from calls.enums import CallStatus
from networks.models import Network


class CallFilterForm(forms.Form):
    network = forms.ModelChoiceField(
        label=_("Network"),
        queryset=Network.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All networks"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *CallStatus.choices],
        required=False,
    )
