from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application, StatusChange
from calls.models import Call
from decisions.enums import GuardWarning, LetterOutcome, ProposalStatus
from decisions.models.letters import _person_who


class CallDecisionRules(models.Model):
    """How a call's decisions are prepared: who gives the network's opinion, and whether an
    acceptance needs a favourable one. A call without this row: coordinators only, not required."""

    call = models.OneToOneField(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="decision_rules"
    )
    opinion_required = models.BooleanField(
        _("a favourable opinion is required for acceptance"),
        default=False,
        help_text=_("Then no application is accepted without the network's favourable opinion."),
    )
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opinion panel"),
        blank=True,
        related_name="opinion_panels",
        help_text=_(
            "People who give the network's opinion on this call's applications, besides its "
            "coordinators. They see the applications' summary on their own page, not the admin."
        ),
    )

    class Meta:
        verbose_name = _("decision rules of a call")
        verbose_name_plural = _("decision rules of calls")

    def __str__(self):
        return str(self.call)


class Opinion(models.Model):
    """The network's opinion on one application, favourable or not, with its reasons; given
    before the decision, and given again (replacing it, audited) until then."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="network_opinion",
    )
    favourable = models.BooleanField(_("favourable"))
    reasons = models.TextField(_("reasons"))
    given_by = _person_who(_("given by"), required=True)
    given_at = models.DateTimeField(_("given"))

    class Meta:
        verbose_name = _("network's opinion")
        verbose_name_plural = _("network's opinions")
        ordering = ["-given_at"]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "decisions"
        person = ("given_by",)
        scrub = ("reasons",)

    def __str__(self):
        verdict = _("favourable") if self.favourable else _("unfavourable")
        return f"{self.application}: {verdict}"


class Proposal(models.Model):
    """A decision a coordinator proposes, which the decision board approves or sends back; a
    decision's letter can be released only once its proposal is approved."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    decision = models.OneToOneField(
        StatusChange, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="proposal"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=LetterOutcome.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
        editable=False,
    )
    proposed_by = _person_who(_("proposed by"), required=True)
    proposed_at = models.DateTimeField(_("proposed"))
    overridden = models.JSONField(
        _("warnings overridden"),
        default=list,
        blank=True,
        help_text=_("Why deciding was premature when the coordinator proposed it anyway."),
    )
    override_reason = models.TextField(_("reason for deciding anyway"), blank=True)
    board_by = _person_who(_("handled by the board member"))
    board_at = models.DateTimeField(_("handled by the board"), null=True, blank=True)
    board_reason = models.TextField(_("the board's reason"), blank=True)

    class Meta:
        verbose_name = _("proposed decision")
        verbose_name_plural = _("proposed decisions")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="proposed"),
                name="proposal_one_waiting_per_application",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "superseded"]) | Q(board_at__isnull=False),
                name="proposal_handled_has_its_time",
            ),
        ]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "decisions"
        person = ("proposed_by", "board_by")
        scrub = ("override_reason", "board_reason")

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.application}"

    @property
    def overridden_labels(self) -> list[str]:
        """The warnings the coordinator overrode, in words."""
        return [GuardWarning(code).label for code in self.overridden if code in GuardWarning.values]

    @property
    def is_waiting(self) -> bool:
        return self.status == ProposalStatus.PROPOSED
