from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationStatus
from applications.models.application import Application


class Submission(models.Model):
    """One submitted version of an application: what was sent, when, and its checksum.

    Every version is kept; the last one counts. The receipt is drawn from this record.
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    number = models.PositiveSmallIntegerField(_("version"))
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.JSONField(_("submitted content"))
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64)

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="submission_unique_version"
            )
        ]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "applications"
        person = ("submitted_by",)
        scrub = ("content",)
        keep = ("submitted_at",)

    def __str__(self):
        return f"{self.application} v{self.number}"


class StatusChange(models.Model):
    """The record of one change of an application's state: who, when, from, to and why."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["application", "at", "pk"]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "applications"
        person = ("actor",)
        scrub = ("reason",)

    def __str__(self):
        return f"{self.application}: {self.from_status or '–'} → {self.to_status}"
