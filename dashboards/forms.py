from django import forms
from django.utils.translation import gettext_lazy as _

from calls.models import Call
from networks.models import Network


class DashboardFilterForm(forms.Form):
    """Which network, call and period a dashboard covers; every field may stay empty."""

    network = forms.ModelChoiceField(
        label=_("Network"),
        queryset=Network.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All networks"),
    )
    call = forms.ModelChoiceField(
        label=_("Call"),
        queryset=Call.objects.select_related("network").order_by("network__short_name", "title"),
        to_field_name="slug",
        required=False,
        empty_label=_("All calls"),
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Applications last submitted, or started, on or after this day."),
    )
    end = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Up to and including this day."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period cannot end before it starts."))
        network, call = data.get("network"), data.get("call")
        if network and call and call.network_id != network.pk:
            self.add_error("call", _("This call belongs to another network."))
        return data
