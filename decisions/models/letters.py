from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from applications.models import Application, StatusChange
from calls.models import Call
from decisions.enums import LetterOutcome, LetterStatus, RedressOutcome
from decisions.placeholders import PLACEHOLDERS_WRITTEN, validate_placeholders
from networks.models import Network

PLACEHOLDER_HELP = format_lazy(_("Placeholders: {placeholders}"), placeholders=PLACEHOLDERS_WRITTEN)


def _person_who(verbose_name, *, required: bool = False) -> models.ForeignKey:
    """The person who did something to a record: kept as long as the record is, and not listed
    on the person (no reverse accessor)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=not required,
        blank=not required,
        related_name="+",
    )


class LetterTemplate(models.Model):
    """The subject and body of the letter announcing one outcome.

    With neither network nor call it is the portal's default; with a network it is that
    network's; with a call too it overrides the network's for that call only.
    """

    outcome = models.CharField(_("outcome"), max_length=20, choices=LetterOutcome.choices)
    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="letter_templates",
        help_text=_("Leave empty for the portal's default (administrators only)."),
    )
    call = models.ForeignKey(
        Call,
        verbose_name=_("call"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="letter_templates",
        help_text=_("Set to use this letter for one call of the network only."),
    )
    subject = models.CharField(
        _("subject"),
        max_length=200,
        validators=[validate_placeholders],
        help_text=PLACEHOLDER_HELP,
    )
    body = models.TextField(
        _("body"),
        validators=[validate_placeholders],
        help_text=PLACEHOLDER_HELP,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("decision letter template")
        verbose_name_plural = _("decision letter templates")
        ordering = ["network__name", "call__title", "outcome"]
        constraints = [
            models.UniqueConstraint(
                fields=["outcome"],
                condition=Q(network__isnull=True, call__isnull=True),
                name="letter_template_one_default_per_outcome",
                violation_error_message=_("There is already a default letter for this outcome."),
            ),
            models.UniqueConstraint(
                fields=["network", "outcome"],
                condition=Q(network__isnull=False, call__isnull=True),
                name="letter_template_one_per_network_and_outcome",
                violation_error_message=_("This network already has a letter for this outcome."),
            ),
            models.UniqueConstraint(
                fields=["call", "outcome"],
                condition=Q(call__isnull=False),
                name="letter_template_one_per_call_and_outcome",
                violation_error_message=_("This call already has a letter for this outcome."),
            ),
            models.CheckConstraint(
                condition=Q(call__isnull=True) | Q(network__isnull=False),
                name="letter_template_call_has_its_network",
            ),
        ]

    def __str__(self):
        where = self.call or self.network or _("default")
        return f"{self.get_outcome_display()} – {where}"

    def clean(self):
        super().clean()
        if self.call_id and self.network_id is None:
            self.network_id = self.call.network_id
        if self.call_id and self.call.network_id != self.network_id:
            raise ValidationError({"call": _("Choose a call of the network above.")})


class Letter(models.Model):
    """The letter announcing one decision on one application: drafted when the coordinator
    decides, edited and released by a coordinator, then sent by a Celery task.

    Nothing is sent, and the applicant sees no decision, before the letter is released.
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="letters",
    )
    decision = models.OneToOneField(
        StatusChange,
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="letter",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=LetterOutcome.choices)
    template = models.ForeignKey(
        LetterTemplate,
        verbose_name=_("drawn from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(
        _("body"),
        help_text=_("{redress_until} is filled in when the letter is released."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=LetterStatus.choices,
        default=LetterStatus.DRAFT,
        editable=False,
    )
    created_at = models.DateTimeField(_("drafted"), auto_now_add=True)
    released_by = _person_who(_("released by"))
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipients = models.JSONField(_("sent to"), default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(_("sending attempts"), default=0)
    last_error = models.TextField(_("last sending error"), blank=True)

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "outcome"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "superseded"]) | Q(released_at__isnull=False),
                name="letter_released_has_its_time",
            ),
        ]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "decisions"
        person = ("released_by",)
        scrub = ("subject", "body", "recipients", "last_error")

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.application}"

    @property
    def is_draft(self) -> bool:
        return self.status == LetterStatus.DRAFT


class RedressRequest(models.Model):
    """An applicant's request, with reasons, that a decision be reviewed; and its outcome."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="redress_requests",
    )
    letter = models.OneToOneField(
        Letter,
        verbose_name=_("decision letter"),
        on_delete=models.PROTECT,
        related_name="redress_request",
        null=True,
        blank=True,
        help_text=_("The letter announcing the decision whose review is asked for."),
    )
    # A ruling of ineligibility has no letter: the review asked for is of that status change.
    ruling = models.OneToOneField(
        StatusChange,
        verbose_name=_("ruling of ineligibility"),
        on_delete=models.PROTECT,
        related_name="redress_request",
        null=True,
        blank=True,
        help_text=_("The ruling that the application is ineligible, whose review is asked for."),
    )
    reasons = models.TextField(_("reasons"))
    requested_by = _person_who(_("asked by"), required=True)
    requested_at = models.DateTimeField(_("asked"))
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=RedressOutcome.choices, blank=True
    )
    outcome_reason = models.TextField(_("reason for the outcome"), blank=True)
    decided_by = _person_who(_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for review of a decision")
        verbose_name_plural = _("requests for review of a decision")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | Q(decided_at__isnull=False),
                name="redress_outcome_has_its_time",
            ),
            # About a decision's letter or a ruling of ineligibility, exactly one.
            models.CheckConstraint(
                condition=Q(letter__isnull=False, ruling__isnull=True)
                | Q(letter__isnull=True, ruling__isnull=False),
                name="redress_of_a_letter_or_a_ruling",
            ),
        ]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "decisions"
        person = ("requested_by", "decided_by")
        scrub = ("reasons", "outcome_reason")

    def __str__(self):
        return f"{self.application} ({self.requested_at:%Y-%m-%d})"

    @property
    def is_pending(self) -> bool:
        return not self.outcome
