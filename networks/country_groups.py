"""The one maintained table of which country belongs to which country group.

EU: the 27 Member States. EEA: the EEA EFTA states. Associated: countries associated to the
EU4Health programme by agreement. Every other ISO 3166 country is "other". When an agreement
changes, change it here (and say so in the commit): calls admit countries by these groups.
"""

from django.db.models import Case, CharField, Value, When

from networks.enums import CountryGroup

# ISO 3166-1 alpha-2 codes.
EU_MEMBER_STATES = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    }
)  # fmt: skip
EEA_COUNTRIES = frozenset({"IS", "LI", "NO"})
ASSOCIATED_COUNTRIES = frozenset({"UA", "MD", "ME", "BA"})

_GROUPS = {
    CountryGroup.EU: EU_MEMBER_STATES,
    CountryGroup.EEA: EEA_COUNTRIES,
    CountryGroup.ASSOCIATED: ASSOCIATED_COUNTRIES,
}


def country_group(code: str) -> CountryGroup:
    """The group of an ISO 3166-1 alpha-2 country code."""
    code = (code or "").upper()
    for group, members in _GROUPS.items():
        if code in members:
            return group
    return CountryGroup.OTHER


def countries_in(group: str) -> frozenset[str] | None:
    """The country codes of a group; None for "other", which is every country outside the rest."""
    return _GROUPS.get(group)


def country_group_expression(field: str = "country") -> Case:
    """A database expression giving the country group of `field`, for filters and group-bys."""
    return Case(
        *[
            When(**{f"{field}__in": sorted(codes)}, then=Value(group.value))
            for group, codes in _GROUPS.items()
        ],
        default=Value(CountryGroup.OTHER.value),
        output_field=CharField(),
    )
