"""The admitted-countries picker of the call admin: the 250 countries as checkboxes grouped by
country group (networks/country_groups.py), with a filter box and "select all" per group once
static/js/country-picker.js runs. Without JavaScript it is a plain grouped checkbox list."""

from django import forms
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
        css = {"all": ["css/country-picker.css"]}

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
