from django.db import models
from django.utils.translation import gettext_lazy as _


class SentNotification(models.Model):
    """One email of the catalogue to one recipient about one object.

    Written with its outbox item marked done, once the mail server took the email: an email
    whose record says sent is never sent again, by a retry or a duplicate alike.
    """

    kind = models.CharField(_("kind"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object"))
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("sent notification")
        verbose_name_plural = _("sent notifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "recipient"], name="notification_once_per_recipient"
            )
        ]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "communications"
        scrub = ("recipient", "subject")

    def __str__(self):
        return f"{self.kind} → {self.recipient}"
