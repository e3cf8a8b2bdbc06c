"""The application changelist's filters that are more than a field: computed from the
annotations `workbench_annotations` adds, or from tables kept in code (country groups)."""

from django.contrib import admin
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from networks.country_groups import country_group_expression
from networks.enums import CountryGroup
from reviews.scoring import disagreement_q


class CountryFilter(admin.SimpleListFilter):
    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = (
            model_admin.get_queryset(request)
            .order_by()
            .values_list("institution__country", flat=True)
            .distinct()
        )
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
