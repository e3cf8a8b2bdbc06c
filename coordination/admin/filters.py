"""The application changelist's filters that are more than a field: computed from the
annotations `workbench_annotations` adds, or from tables kept in code (country groups).

The choices of each filter come from a small table (networks, calls, institutions), never from
a DISTINCT over the applications: the changelist is opened often on deadline day, and its
filters should cost what a lookup in a short table costs, whatever the number of applications.
"""

from django.contrib import admin
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from calls.models import Call
from networks.country_groups import country_group_expression
from networks.enums import CountryGroup
from networks.models import Institution, Network
from networks.rules import is_administrator
from networks.selectors import networks_coordinated_by
from reviews.scoring import disagreement_q


class CountryFilter(admin.SimpleListFilter):
    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        # The countries of the institutions known to the portal: a short table.
        codes = Institution.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(institution__country=self.value())
        return queryset


class CountryGroupFilter(admin.SimpleListFilter):
    title = _("country group")
    parameter_name = "country_group"

    def lookups(self, request, model_admin):
        return CountryGroup.choices

    def queryset(self, request, queryset):
        if self.value() not in CountryGroup.values:
            return queryset
        return queryset.alias(
            country_group=country_group_expression("institution__country")
        ).filter(country_group=self.value())


class ReviewProgressFilter(admin.SimpleListFilter):
    title = _("review progress")
    parameter_name = "reviews"

    def lookups(self, request, model_admin):
        return [
            ("none", _("No reviewer yet")),
            ("awaited", _("Reviews awaited")),
            ("complete", _("All reviews in")),
        ]

    def queryset(self, request, queryset):
        expected = F("call__reviews_per_application")
        if self.value() == "none":
            return queryset.filter(open_assignments=0, reviews_in=0)
        if self.value() == "awaited":
            return queryset.filter(open_assignments__gt=0, reviews_in__lt=expected)
        if self.value() == "complete":
            return queryset.filter(reviews_in__gte=expected)
        return queryset


class ScoreRangeFilter(admin.SimpleListFilter):
    """Bands of the mean weighted score (out of 100) of the submitted reviews."""

    title = _("score")
    parameter_name = "score"
    BANDS = {"0-50": (0, 50), "50-70": (50, 70), "70-85": (70, 85), "85-100": (85, 100)}

    def lookups(self, request, model_admin):
        bands = [
            (key, _("%(low)d to %(high)d") % {"low": low, "high": high})
            for key, (low, high) in self.BANDS.items()
        ]
        return [*bands, ("unscored", _("Not scored yet"))]

    def queryset(self, request, queryset):
        if self.value() == "unscored":
            return queryset.filter(score__isnull=True)
        band = self.BANDS.get(self.value() or "")
        if band is None:
            return queryset
        low, high = band
        below = Q(score__lte=high) if high == 100 else Q(score__lt=high)
        return queryset.filter(below, score__gte=low)


class DisagreementFilter(admin.SimpleListFilter):
    """Reviewers disagree when their scores are further apart than the call's threshold."""

    title = _("reviewers disagree")
    parameter_name = "disagreement"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        disagree = disagreement_q(
            count="reviews_in", spread="score_spread", threshold="call__disagreement_threshold"
        )
        if self.value() == "yes":
            return queryset.filter(disagree)
        if self.value() == "no":
            return queryset.exclude(disagree)
        return queryset


def _id(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


class NetworkFilter(admin.SimpleListFilter):
    """The networks the user coordinates (every network for an administrator)."""

    title = _("network")
    parameter_name = "network"

    def lookups(self, request, model_admin):
        networks = Network.objects.order_by("name")
        if not is_administrator(request.user):
            networks = networks_coordinated_by(user=request.user).order_by("name")
        return [(network.pk, network.short_name) for network in networks]

    def queryset(self, request, queryset):
        network_id = _id(self.value())
        return queryset if network_id is None else queryset.filter(call__network_id=network_id)


class _CallFilter(admin.SimpleListFilter):
    """The calls of the networks the user coordinates (every call for an administrator), for
    rows that reach their call through `call_path`; see `call_filter`."""

    title = _("call")
    call_path = "call"

    def lookups(self, request, model_admin):
        calls = Call.objects.select_related("network").order_by("network__name", "title")
        if not is_administrator(request.user):
            calls = calls.filter(network__in=networks_coordinated_by(user=request.user))
        return [(call.pk, f"{call.network.short_name} · {call.title}") for call in calls]

    def queryset(self, request, queryset):
        call_id = _id(self.value())
        if call_id is None:
            return queryset
        return queryset.filter(**{f"{self.call_path}__id": call_id})


def call_filter(call_path: str) -> type[admin.SimpleListFilter]:
    """A filter by call for rows whose call is at `call_path` ("application__call", say),
    answering at the address the field filter had (`<call_path>__id__exact`), which other
    pages link to."""
    return type(
        "CallFilter",
        (_CallFilter,),
        {"call_path": call_path, "parameter_name": f"{call_path}__id__exact"},
    )


CallFilter = call_filter("call")
