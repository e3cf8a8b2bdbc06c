from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models.application import Application


class DeadlineExtension(models.Model):
    """A later deadline granted to one application by a coordinator, with a reason.

    One per application: granting again moves it (each grant is in the audit trail). It is
    honoured wherever the call's deadline gates the applicant (Application.accepts_submissions_at).
    """

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="deadline_extension",
    )
    until = models.DateTimeField(_("extended deadline"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted"))

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["-granted_at"]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "applications"
        person = ("granted_by",)
        scrub = ("reason",)

    def __str__(self):
        return f"{self.application}: {self.until:%Y-%m-%d %H:%M}"
