"""Calls for expressions of interest: their window in their own time zone, suspensions and
required documents."""

import zoneinfo
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from calls import schedule
from calls.enums import CallStatus, DocumentKind, EndorsementRoute, FileFormat
from calls.fields import ChoiceListField
from calls.models.criteria import CriteriaSet
from networks.enums import CountryGroup, InstitutionType, MembershipTier
from networks.models import Network


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def default_time_zone() -> str:
    return settings.DEFAULT_CALL_TIME_ZONE


def default_tiers() -> list[str]:
    return [MembershipTier.FULL_MEMBER.value]


def default_formats() -> list[str]:
    return [FileFormat.PDF.value]


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Call(models.Model):
    """A call for expressions of interest through which institutions apply to join a network."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.PROTECT, related_name="calls"
    )
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.CharField(_("summary"), max_length=500)
    body = models.TextField(_("call text"), blank=True)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Only published calls are shown to the public.")
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text=_("The opening and closing times are given in this time zone."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(
        _("closes"), help_text=_("The first instant at which submissions are refused.")
    )
    admitted_country_groups = ChoiceListField(
        _("admitted country groups"),
        item_choices=CountryGroup.choices,
        help_text=_("Leave empty, with no countries either, to admit every country."),
    )
    admitted_countries = CountryField(
        _("admitted countries"),
        multiple=True,
        blank=True,
        help_text=_("Countries admitted in addition to the groups above."),
    )
    admitted_institution_types = ChoiceListField(
        _("admitted institution types"),
        item_choices=InstitutionType.choices,
        help_text=_("Leave empty to admit every type."),
    )
    tiers_offered = ChoiceListField(
        _("membership tiers offered"),
        item_choices=MembershipTier.choices,
        default=default_tiers,
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.PROTECT, related_name="calls"
    )
    reviews_per_application = models.PositiveSmallIntegerField(
        _("reviews per application"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    review_days = models.PositiveSmallIntegerField(
        _("days to review"),
        default=21,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("A review is due this many days after the reviewer is assigned."),
    )
    reviews_due_at = models.DateTimeField(
        _("reviews due"),
        null=True,
        blank=True,
        help_text=_("If set, every review is due at this instant instead."),
    )
    exclude_same_country_reviewers = models.BooleanField(
        _("no reviewer from the applicant's country"),
        default=False,
        help_text=_("Treat a reviewer from the same country as the applicant as a conflict."),
    )
    disagreement_threshold = models.PositiveSmallIntegerField(
        _("disagreement threshold (points of 100)"),
        default=25,
        validators=[MaxValueValidator(100)],
        help_text=_("Flag an application when its reviewers' scores differ by more than this."),
    )
    redress_days = models.PositiveSmallIntegerField(
        _("days to ask for a review of the decision"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "An applicant may ask for a review of a rejection or a place on the waiting list "
            "this many days after the decision letter is released."
        ),
    )
    endorsement_route = models.CharField(
        _("national endorsement"),
        max_length=10,
        choices=EndorsementRoute.choices,
        default=EndorsementRoute.UPLOAD,
        help_text=_("How the applicant's country endorses an application."),
    )
    endorsement_closes_at = models.DateTimeField(
        _("endorsement closes"),
        null=True,
        blank=True,
        help_text=_(
            "The first instant at which national endorsers can no longer endorse or decline; "
            "it may be after the deadline. Leave empty to close it at the deadline."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="call_closes_after_it_opens"
            ),
            models.CheckConstraint(
                condition=Q(reviews_per_application__gte=1), name="call_needs_a_review"
            ),
            models.CheckConstraint(
                condition=Q(endorsement_closes_at__isnull=True)
                | Q(endorsement_closes_at__gte=F("closes_at")),
                name="call_endorsement_closes_with_or_after_the_call",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("calls:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        # A network's set is changed by that network's coordinators, so only its calls use it.
        criteria_set = self.criteria_set if self.criteria_set_id else None
        if (
            criteria_set is not None
            and self.network_id is not None
            and criteria_set.network_id not in (None, self.network_id)
        ):
            raise ValidationError(
                {"criteria_set": _("Choose a criteria set of this call's network or a shared one.")}
            )
        endorsement, closes = self.endorsement_closes_at, self.closes_at
        if endorsement and closes and endorsement < closes:
            raise ValidationError(
                {
                    "endorsement_closes_at": _(
                        "Endorsement cannot close before the call does; leave it empty to close "
                        "it at the deadline."
                    )
                }
            )

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @cached_property
    def pauses(self) -> list[schedule.Pause]:
        # Reads `suspensions.all()` so a prefetch serves every call of a list in one query.
        return [schedule.Pause(s.starts_at, s.ends_at) for s in self.suspensions.all()]

    @property
    def deadline(self):
        """The first instant at which submissions are refused, suspensions counted."""
        return schedule.effective_deadline(
            opens_at=self.opens_at, closes_at=self.closes_at, pauses=self.pauses
        )

    @property
    def endorsement_deadline(self):
        """The first instant at which national endorsers can no longer act: the call's own
        setting, or its deadline (suspensions counted), whichever is later."""
        if self.endorsement_closes_at is None:
            return self.deadline
        return max(self.endorsement_closes_at, self.deadline)

    def endorsement_open_at(self, instant) -> bool:
        return instant < self.endorsement_deadline

    @property
    def endorsement_in_portal(self) -> bool:
        """Whether national endorsers may endorse in the portal (not only confirm a letter)."""
        return self.endorsement_route != EndorsementRoute.UPLOAD

    @property
    def endorsement_accepts_letter(self) -> bool:
        """Whether the applicant may upload a letter of endorsement."""
        return self.endorsement_route != EndorsementRoute.PORTAL

    @property
    def endorsement_letter_required(self) -> bool:
        """Whether the applicant must upload the letter before submitting."""
        return self.endorsement_route == EndorsementRoute.UPLOAD

    def status_at(self, instant) -> CallStatus:
        return schedule.status_at(
            instant, opens_at=self.opens_at, closes_at=self.closes_at, pauses=self.pauses
        )

    @property
    def status(self) -> CallStatus:
        return self.status_at(timezone.now())

    def accepts_submissions_at(self, instant) -> bool:
        return self.status_at(instant) == CallStatus.OPEN

    # Labels of the eligibility lists, for the call page.
    def admitted_country_labels(self) -> list[str]:
        """The admitted country groups, then the countries named one by one."""
        groups = [CountryGroup(value).label for value in self.admitted_country_groups]
        return groups + [country.name for country in self.admitted_countries]

    def admitted_institution_type_labels(self) -> list[str]:
        return [InstitutionType(value).label for value in self.admitted_institution_types]

    def tiers_offered_labels(self) -> list[str]:
        return [MembershipTier(value).label for value in self.tiers_offered]


class SuspensionPeriod(models.Model):
    """A period during which a call is paused; its deadline moves later by the same length."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="suspensions"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("suspension period")
        verbose_name_plural = _("suspension periods")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="suspension_ends_after_it_starts"
            )
        ]

    def __str__(self):
        return f"{self.call}: {self.starts_at:%Y-%m-%d} – {self.ends_at:%Y-%m-%d}"


class RequiredDocument(models.Model):
    """A document a call asks applicants to upload, with the formats and size it accepts."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="required_documents"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    allowed_formats = ChoiceListField(
        _("allowed formats"), item_choices=FileFormat.choices, default=default_formats
    )
    max_size_mb = models.PositiveSmallIntegerField(
        _("maximum size (MB)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["call", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_size_mb__gte=1) & Q(max_size_mb__lte=100),
                name="required_document_size_in_range",
            )
        ]

    def __str__(self):
        return self.title
