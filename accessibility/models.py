from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessibilityFeedback(models.Model):
    """A message sent from the accessibility statement: a barrier met, or a request for content
    in an accessible form. The secretariat answers it by email."""

    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"))
    page = models.CharField(_("page"), max_length=500, blank=True)
    message = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")
        ordering = ["-created_at"]

    class PersonalData:
        """Personal fields (erasure/declarations.py). Anyone may write, signed in or not, so
        rows are found by what they contain: the person's name and email."""

        activity = "accessibility"
        scrub = ("name", "email", "message")
        keep = ("created_at",)

    def __str__(self):
        return f"{self.email} ({self.created_at:%Y-%m-%d})" if self.created_at else self.email
