import copy
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.enums import InstitutionRole
from networks.models import Institution, ror_id_validator

# What people paste as a ROR identifier: the bare id or its address, in any case.
_ROR_ADDRESS_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?ror\.org/", re.IGNORECASE)


def normalised_ror_id(value: str) -> str:
    """The ROR id inside what was typed: "https://ror.org/05WG1M734/" gives "05wg1m734"."""
    return _ROR_ADDRESS_PREFIX.sub("", value.strip()).strip("/").lower()


def _institution_field(name: str, **kwargs) -> forms.Field:
    """The form field of an Institution model field, with its label, length and choices."""
    return Institution._meta.get_field(name).formfield(**kwargs)


class InstitutionSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, acronym or city"),
        min_length=2,
        max_length=100,
        required=False,
        strip=True,
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=[("", _("Any country")), *countries],
        required=False,
    )


class InstitutionForm(forms.Form):
    """An institution profile as the public creates it; the parent institution is set in the
    admin, since offering every institution of a country in one select does not work without
    scripts."""

    name = _institution_field("name")
    acronym = _institution_field("acronym")
    country = _institution_field("country")
    type = _institution_field("type")
    city = _institution_field("city")
    website = _institution_field("website", assume_scheme="https")
    ror_id = forms.CharField(
        label=_("ROR identifier"),
        max_length=60,
        required=False,
        help_text=_(
            "Research Organization Registry identifier, if the institution has one, such as "
            "05wg1m734 or https://ror.org/05wg1m734."
        ),
    )
    different_institution = forms.BooleanField(
        label=_("This is a different institution"),
        required=False,
        help_text=_("Tick this only if none of the institutions listed above is yours."),
    )

    # Institution fields, in the order institution_create takes them.
    INSTITUTION_FIELDS = ("name", "acronym", "country", "type", "city", "website", "ror_id")

    def __init__(self, *args, offer_different_institution: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The tick box only makes sense once likely duplicates are on the page, or when it was
        # ticked and the form came back for another reason.
        if not (offer_different_institution or self["different_institution"].value()):
            del self.fields["different_institution"]

    def offer_different_institution(self) -> None:
        if "different_institution" not in self.fields:
            self.fields["different_institution"] = copy.deepcopy(
                self.base_fields["different_institution"]
            )

    def clean_ror_id(self):
        ror_id = normalised_ror_id(self.cleaned_data["ror_id"])
        if ror_id:
            ror_id_validator(ror_id)
        return ror_id

    def institution_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.INSTITUTION_FIELDS}


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the institution's representative (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("For example, your position and why you need to act for the institution."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"), choices=InstitutionRole.choices, initial=InstitutionRole.CONTRIBUTOR
    )


class JoinRequestDecisionForm(forms.Form):
    APPROVE = "approve"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[(APPROVE, _("Approve")), (DECLINE, _("Decline"))]
    )
    role = forms.ChoiceField(
        label=_("Role if approved"),
        choices=InstitutionRole.choices,
        initial=InstitutionRole.CONTRIBUTOR,
        required=False,
    )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("decision") == self.APPROVE and not cleaned_data.get("role"):
            raise ValidationError({"role": _("Choose the role in which to approve the request.")})
        return cleaned_data

    @property
    def approves(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE
