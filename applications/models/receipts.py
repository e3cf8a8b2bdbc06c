from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models.history import Submission


class Receipt(models.Model):
    """The receipt PDF of one submitted version, made once by a background job (the outbox
    effect `applications.receipt`) and kept: downloads and the receipt email serve these bytes.

    A few kilobytes each, so they stay in the database beside the version they prove.
    """

    submission = models.OneToOneField(
        Submission,
        verbose_name=_("submitted version"),
        on_delete=models.CASCADE,
        related_name="receipt",
    )
    pdf = models.BinaryField(_("PDF"))
    made_at = models.DateTimeField(_("made"))
    language = models.CharField(_("language"), max_length=10)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "applications"
        person = ("submission__submitted_by",)
        keep = ("pdf",)
        delete = True

    def __str__(self):
        return f"{self.submission}"
