"""Criteria sets: versioned sections and criteria that calls ask applicants to answer."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from calls.enums import AnswerType, MaturityLevel
from networks.models import Network


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

    def answer_meaning(self, value) -> str:
        """An answer as a reader understands it: the label of the option picked ("Yes", "L3 –
        mature leader"), else the answer itself; empty when unanswered."""
        if value is None or value == "" or value == []:
            return ""
        if self.answer_type in (AnswerType.YES_NO, AnswerType.MATURITY, AnswerType.CHOICE):
            return str(dict(self.options).get(value, value))
        return str(value)
