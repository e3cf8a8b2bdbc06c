import uuid

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.enums import SUBMITTED_UNDECIDED, ApplicationStatus
from calls.models import Call
from networks.enums import MembershipTier
from networks.models import Institution


class Application(models.Model):
    """An institution's expression of interest in joining a network, through one call.

    Its status is changed only by `applications.services.transitions`, which records each change.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    tier_requested = models.CharField(
        _("membership tier asked for"), max_length=20, choices=MembershipTier.choices
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("representative"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The person who will represent the institution in the network."),
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deputy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    topics = models.ManyToManyField(
        "networks.Topic",
        verbose_name=_("areas of expertise"),
        blank=True,
        related_name="applications",
        help_text=_("The cancer types and themes the institution's expertise covers."),
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True, editable=False)
    awaiting_routing_since = models.DateTimeField(
        _("awaiting routing since"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "institution"], name="application_one_per_institution_and_call"
            ),
            models.CheckConstraint(
                condition=Q(representative__isnull=True)
                | Q(deputy__isnull=True)
                | ~Q(representative=F("deputy")),
                name="application_deputy_is_not_the_representative",
            ),
        ]
        indexes = [models.Index(fields=["call", "status"])]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "applications"
        person = ("representative", "deputy", "created_by")
        keep = ("representative", "deputy", "created_by")

    def __str__(self):
        return f"{self.institution} – {self.call}"

    def get_absolute_url(self):
        return reverse("applications:detail", kwargs={"public_id": self.public_id})

    @property
    def endorsement_or_none(self):
        try:
            return self.endorsement
        except ObjectDoesNotExist:
            return None

    @property
    def is_submitted_undecided(self) -> bool:
        return self.status in SUBMITTED_UNDECIDED

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    # This applicant's own deadline: the call's, or a later one a coordinator granted
    # (applications.models.extensions.DeadlineExtension).
    @property
    def deadline_extension_or_none(self):
        try:
            return self.deadline_extension
        except ObjectDoesNotExist:
            return None

    @property
    def deadline(self):
        """The first instant at which this application's submissions are refused."""
        extension = self.deadline_extension_or_none
        call_deadline = self.call.deadline
        return max(call_deadline, extension.until) if extension else call_deadline

    @property
    def deadline_extended(self) -> bool:
        return self.deadline > self.call.deadline

    def accepts_submissions_at(self, instant) -> bool:
        """Whether this applicant may submit, reopen or edit at `instant`: while the call is
        open, and after it closes until their extended deadline, if they have one."""
        if self.call.accepts_submissions_at(instant):
            return True
        return self.call.deadline <= instant < self.deadline
