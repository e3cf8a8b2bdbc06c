"""National endorsers, and the endorsement of each submitted application by its country."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from applications.models import Application, ApplicationDocument
from endorsements.enums import EndorsementState


class NationalEndorser(models.Model):
    """A person who acts for one country's endorsing authority; a country may have several.

    Administrators name them in the admin; an inactive endorser sees and receives nothing.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="national_endorser",
    )
    country = CountryField(_("country"))
    authority = models.CharField(
        _("authority"),
        max_length=255,
        help_text=_("For example: the Ministry of Health of the country."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("national endorser")
        verbose_name_plural = _("national endorsers")
        ordering = ["country", "user__email"]
        indexes = [models.Index(fields=["country", "active"])]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "endorsements"
        person = ("user",)
        erase = ("active",)
        keep = ("country", "authority")

    def __str__(self):
        return f"{self.user} ({self.country.name}, {self.authority})"


class NationalEndorsement(models.Model):
    """Where one application's national endorsement stands, and who decided it.

    Written once the application is submitted; its state is changed only by
    `endorsements.services.transitions`, which records each change.
    """

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="national_endorsement",
    )
    state = models.CharField(
        _("endorsement"),
        max_length=20,
        choices=EndorsementState.choices,
        default=EndorsementState.PENDING,
        editable=False,
    )
    # The letter the state speaks of (uploaded or confirmed), if any.
    letter = models.ForeignKey(
        ApplicationDocument,
        verbose_name=_("letter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    endorser = models.ForeignKey(
        NationalEndorser,
        verbose_name=_("national endorser"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="endorsements",
        editable=False,
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=200, blank=True)
    signatory_role = models.CharField(_("signatory's role"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("endorsement by the country")
        verbose_name_plural = _("endorsements by the countries")
        indexes = [models.Index(fields=["state"])]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "endorsements"
        person = ("endorser__user",)
        erase = ("signatory_name", "signatory_role")
        scrub = ("reason",)

    def __str__(self):
        return f"{self.application}: {self.get_state_display()}"


class EndorsementChange(models.Model):
    """The record of one change of an endorsement's state: who, when, from, to and why."""

    endorsement = models.ForeignKey(
        NationalEndorsement,
        verbose_name=_("endorsement"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    from_state = models.CharField(_("from"), max_length=20, choices=EndorsementState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=EndorsementState.choices)
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
        verbose_name = _("endorsement change")
        verbose_name_plural = _("endorsement changes")
        ordering = ["endorsement", "at", "pk"]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "endorsements"
        person = ("actor",)
        scrub = ("reason",)

    def __str__(self):
        return f"{self.endorsement}: {self.from_state} → {self.to_state}"
