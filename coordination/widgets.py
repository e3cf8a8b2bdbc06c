"""Widgets of the call admin.

The admitted-countries picker: the 250 countries as checkboxes grouped by country group
(networks/country_groups.py), with a filter box and "choose all" per group once
static/js/country-picker.js runs; without JavaScript it is a plain grouped checkbox list. And the
admin's date and time boxes with a label each, which Django's own lack.
"""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils.translation import gettext_lazy as _

from networks.country_groups import country_group
from networks.enums import CountryGroup

# The groups as the picker names them, in the order a coordinator looks for them.
GROUP_HEADINGS = {
    CountryGroup.EU: _("EU Member States"),
    CountryGroup.EEA: _("EEA countries"),
    CountryGroup.ASSOCIATED: _("Associated countries"),
    CountryGroup.OTHER: _("Other countries"),
}


class CountryPicker(forms.CheckboxSelectMultiple):
    template_name = "coordination/widgets/country_picker.html"

    class Media:
        js = ["js/country-picker.js"]
        css = {"all": ["css/admin-widgets.css"]}

    def optgroups(self, name, value, attrs=None):
        """The options regrouped by country group; each keeps its own id and checked state."""
        grouped = {group: [] for group in GROUP_HEADINGS}
        for _label, options, _index in super().optgroups(name, value, attrs):
            for option in options:
                if option["value"] in ("", None):
                    continue
                grouped[country_group(str(option["value"]))].append(option)
        return [
            (
                {
                    "key": group.value,
                    "heading": GROUP_HEADINGS[group],
                    "chosen": sum(1 for option in options if option["selected"]),
                },
                options,
                position,
            )
            for position, (group, options) in enumerate(grouped.items())
        ]


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes, each named by its own label (WCAG 1.3.1, 4.1.2)."""

    template_name = "coordination/widgets/split_datetime.html"

    class Media:
        css = {"all": ["css/admin-widgets.css"]}
