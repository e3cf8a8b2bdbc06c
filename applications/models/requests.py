from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.enums import INFORMATION_RESUMABLE
from applications.models.application import Application
from calls.models import CriteriaSection, RequiredDocument


class InformationRequestQuerySet(models.QuerySet):
    def open(self):
        """Requests neither answered nor lapsed: at most one per application."""
        return self.filter(answered_at__isnull=True, lapsed_at__isnull=True)


class InformationRequest(models.Model):
    """A coordinator's request for more information: the sections reopened, until when, and
    how it ended (answered by the applicant, or lapsed at its due date without an answer).

    Its due date is its own and may fall after the call's deadline.
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="information_requests",
    )
    sections = models.ManyToManyField(
        CriteriaSection,
        verbose_name=_("sections reopened"),
        related_name="+",
    )
    documents = models.ManyToManyField(
        RequiredDocument,
        verbose_name=_("documents to upload again"),
        blank=True,
        related_name="+",
    )
    message = models.TextField(_("message to the applicant"))
    due_at = models.DateTimeField(_("due"))
    resume_status = models.CharField(
        _("status resumed afterwards"),
        max_length=20,
        choices=[(status.value, status.label) for status in INFORMATION_RESUMABLE],
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lapsed_at = models.DateTimeField(_("closed without an answer"), null=True, blank=True)

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "applications"
        person = ("requested_by", "answered_by")
        scrub = ("message",)

    objects = InformationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["application", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(answered_at__isnull=True, lapsed_at__isnull=True),
                name="information_request_one_open_per_application",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(lapsed_at__isnull=True),
                name="information_request_answered_or_lapsed",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answered_by__isnull=True)
                | Q(answered_at__isnull=False, answered_by__isnull=False),
                name="information_request_answer_has_its_author",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gt=models.F("requested_at")),
                name="information_request_due_after_request",
            ),
            models.CheckConstraint(
                condition=Q(resume_status__in=[s.value for s in INFORMATION_RESUMABLE]),
                name="information_request_resumes_a_review_status",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(answered_at__isnull=True, lapsed_at__isnull=True),
                name="information_request_open_due",
            )
        ]

    def __str__(self):
        return f"{self.application} ({self.requested_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.lapsed_at is None
