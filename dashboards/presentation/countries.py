"""Figures of where applicants and members come from: countries, country groups, types of
institution, and each network's coverage of the countries the calls admit."""

from typing import Any

from django.utils.translation import gettext as _

from dashboards import charts
from dashboards.presentation.figure import Figure, bars, country_name, europe_map
from dashboards.scope import Scope
from networks.country_groups import (
    ASSOCIATED_COUNTRIES,
    EEA_COUNTRIES,
    EU_MEMBER_STATES,
    country_group,
)
from networks.enums import CountryGroup, InstitutionType

# The countries the calls admit by group: where a network's coverage is measured.
COVERAGE_COUNTRIES = sorted(EU_MEMBER_STATES | EEA_COUNTRIES | ASSOCIATED_COUNTRIES)


def countries(raw: dict[str, Any], scope: Scope) -> Figure:
    counts = dict(raw["countries"])
    rows = [
        [country_name(code), code, str(country_group(code).label), n]
        for code, n in raw["countries"]
    ]
    chart, legend = europe_map(
        counts,
        title=_("Map of Europe: applications by country"),
        description=", ".join(f"{r[0]}: {r[3]}" for r in rows) or _("No applications."),
    )
    return Figure(
        slug="countries",
        title=_("Applications by country"),
        description=_("Each square is a country, darker for more applications."),
        columns=[_("Country"), _("Code"), _("Country group"), _("Applications")],
        rows=rows,
        chart=chart,
        legend=legend,
        long_table=True,
        notes=_outside_map_note(counts),
    )


def _outside_map_note(counts: dict[str, int]) -> list[str]:
    outside = [code for code in counts if code not in charts.TILES]
    if not outside:
        return []
    return [
        _("Not on the map, counted in the table: %(countries)s.")
        % {"countries": ", ".join(country_name(code) for code in sorted(outside))}
    ]


def _labelled_bars(raw_rows, label, *, slug, title, description, column) -> Figure:
    rows = [[str(label(value)), n] for value, n in raw_rows]
    return Figure(
        slug=slug,
        title=title,
        description=description,
        columns=[column, _("Applications")],
        rows=rows,
        chart=bars(rows, title=title, empty=_("No applications.")),
    )


def country_groups(raw: dict[str, Any], scope: Scope) -> Figure:
    return _labelled_bars(
        raw["country_groups"],
        lambda value: CountryGroup(value).label,
        slug="country-groups",
        title=_("Applications by country group"),
        description=_("EU Member States, EEA countries, associated countries and others."),
        column=_("Country group"),
    )


def institution_types(raw: dict[str, Any], scope: Scope) -> Figure:
    return _labelled_bars(
        raw["institution_types"],
        lambda value: InstitutionType(value).label if value in InstitutionType.values else value,
        slug="institution-types",
        title=_("Applications by type of institution"),
        description=_("Hospitals, cancer centres, institutes, societies and organisations."),
        column=_("Type of institution"),
    )


def coverage(raw: dict[str, Any], scope: Scope) -> Figure:
    """One network's members on the map; several networks side by side in a table."""
    networks = raw["coverage"]["networks"]
    if len(networks) == 1:
        return _coverage_of_one(networks[0]["members"])
    return _coverage_of_many(networks)


def _coverage_notes() -> list[str]:
    return [
        _(
            "Coverage is counted over the EU Member States, EEA countries and associated "
            "countries, from current memberships."
        )
    ]


def _coverage_of_one(members: dict[str, int]) -> Figure:
    rows = [
        [country_name(code), code, members.get(code, 0)]
        for code in sorted(COVERAGE_COUNTRIES, key=country_name)
    ]
    covered = sum(1 for code in COVERAGE_COUNTRIES if members.get(code))
    chart, legend = europe_map(
        members,
        title=_("Map of Europe: the network's members by country"),
        description=_("Countries with no member: %(countries)s.")
        % {"countries": ", ".join(r[0] for r in rows if not r[2]) or _("none")},
    )
    return Figure(
        slug="coverage",
        title=_("Country coverage of the network"),
        description=_("%(covered)s of %(total)s countries have a member.")
        % {"covered": covered, "total": len(COVERAGE_COUNTRIES)},
        columns=[_("Country"), _("Code"), _("Current members")],
        rows=rows,
        chart=chart,
        legend=legend,
        notes=_coverage_notes(),
        long_table=True,
    )


def _coverage_of_many(networks: list[dict[str, Any]]) -> Figure:
    rows = []
    for network in networks:
        without = [code for code in COVERAGE_COUNTRIES if not network["members"].get(code)]
        rows.append(
            [
                network["short_name"],
                len(COVERAGE_COUNTRIES) - len(without),
                len(without),
                ", ".join(sorted(country_name(code) for code in without)),
            ]
        )
    return Figure(
        slug="coverage",
        title=_("Country coverage of the networks"),
        description=_("Countries with and without a current member, network by network."),
        columns=[
            _("Network"),
            _("Countries with a member"),
            _("Countries without"),
            _("Countries without a member"),
        ],
        rows=rows,
        chart=bars(rows, title=_("Countries with a member, by network")),
        notes=_coverage_notes(),
        long_table=True,
    )
