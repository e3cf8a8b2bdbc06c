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
from calls.enums import AnswerType, CallStatus, DocumentKind, FileFormat, MaturityLevel
from calls.fields import ChoiceListField
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


class CriteriaSet(models.Model):
    """A versioned set of sections and criteria that calls ask applicants to answer.

    A set belongs to one network, whose coordinators keep it and whose calls use it; a set with
    no network is shared by several networks (the omics and hi-tech networks use the same
    maturity grid), and only administrators change it. Once an application to any call using it
    is submitted, the set is locked: to change it, copy it as a new version.
    """

    name = models.CharField(_("name"), max_length=200)
    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="criteria_sets",
        help_text=_(
            "The network whose calls use this set. Leave empty for a set several networks "
            "share (administrators only)."
        ),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    description = models.TextField(_("description"), blank=True)
    locked_at = models.DateTimeField(
        _("locked"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the first application answering this set is submitted."),
    )

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="criteria_set_unique_version")
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"

    def clean(self):
        super().clean()
        if self.pk is None or self.network_id is None:
            return
        if self.calls.exclude(network_id=self.network_id).exists():
            raise ValidationError(
                {"network": _("Calls of other networks use this set: leave it shared.")}
            )

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class CriteriaSection(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["criteria_set", "position", "pk"]

    def __str__(self):
        return self.title


class Criterion(models.Model):
    """One question of a criteria set, with how it is answered and how reviewers score it."""

    section = models.ForeignKey(
        CriteriaSection,
        verbose_name=_("section"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("For example: A.1"))
    title = models.CharField(_("title"), max_length=300)
    guidance = models.TextField(_("guidance"), blank=True)
    answer_type = models.CharField(_("answer type"), max_length=20, choices=AnswerType.choices)
    required = models.BooleanField(_("answer required"), default=True)
    word_limit = models.PositiveIntegerField(
        _("word limit"), null=True, blank=True, help_text=_("Only for text answers.")
    )
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_(
            'Only for choice answers: a list of options, such as ["Yes, certified", "No"].'
        ),
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_("0 leaves the criterion unscored."),
    )
    score_min = models.SmallIntegerField(_("lowest score"), default=0)
    score_max = models.SmallIntegerField(_("highest score"), default=5)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["section", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score_max__gt=F("score_min")), name="criterion_score_scale_ascending"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="criterion_weight_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(word_limit__isnull=True)
                | (Q(answer_type=AnswerType.TEXT) & Q(word_limit__gt=0)),
                name="criterion_word_limit_only_on_text",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def clean(self):
        if self.answer_type == AnswerType.CHOICE:
            if not (
                isinstance(self.choices, list)
                and len(self.choices) >= 2
                and all(isinstance(option, str) and option.strip() for option in self.choices)
            ):
                raise ValidationError({"choices": _("A choice answer needs at least two options.")})
        elif self.choices:
            raise ValidationError({"choices": _("Only choice answers have options.")})

    @property
    def is_scored(self) -> bool:
        return self.weight > 0

    @property
    def options(self) -> list[tuple[str, str]]:
        """The options an applicant picks from, for choice and maturity answers."""
        if self.answer_type == AnswerType.MATURITY:
            return list(MaturityLevel.choices)
        if self.answer_type == AnswerType.YES_NO:
            return [("yes", _("Yes")), ("no", _("No"))]
        return [(option, option) for option in self.choices]


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
