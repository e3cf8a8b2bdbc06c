import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from calls.models import Call


class ApplicantMessage(models.Model):
    """A message a coordinator sent to all or a filtered set of a call's applicants, as sent.

    The recipients are fixed when it is sent: one email to each, through the outbox. `token`
    is the compose page's, so sending the same page twice (a double click) sends once.
    """

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applicant_messages"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    # The filters chosen, empty for all: application statuses, country codes, tiers asked.
    statuses = models.JSONField(_("statuses"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    tiers = models.JSONField(_("tiers"), default=list, blank=True)
    recipients = models.JSONField(_("recipients"), default=list)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    token = models.UUIDField(_("sending token"), default=uuid.uuid4, unique=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("message to applicants")
        verbose_name_plural = _("messages to applicants")
        ordering = ["-sent_at"]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "communications"
        person = ("sent_by",)
        scrub = ("recipients", "subject", "body")

    def __str__(self):
        return self.subject
