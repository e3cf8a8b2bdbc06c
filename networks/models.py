from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from networks.country_groups import country_group, country_group_expression
from networks.enums import (
    CertificationBody,
    InstitutionType,
    MembershipTier,
    WorkPackageKind,
)

# ROR identifiers: a leading 0, six characters of Crockford base32 and a two-digit checksum.
ror_id_validator = RegexValidator(
    r"^0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}$",
    _("Enter the nine characters of a ROR identifier, such as 05wg1m734."),
)


class InstitutionQuerySet(models.QuerySet):
    def with_country_group(self):
        return self.annotate(country_group_code=country_group_expression("country"))


class Institution(models.Model):
    """A hospital, cancer centre, institute, society, patient organisation or authority.

    A unit inside a hospital is an institution of its own with the hospital as its parent.
    """

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    country = CountryField(_("country"))
    type = models.CharField(_("type"), max_length=40, choices=InstitutionType.choices)
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        help_text=_("For a unit inside a hospital: the hospital it belongs to."),
    )
    ror_id = models.CharField(
        _("ROR identifier"),
        max_length=9,
        blank=True,
        validators=[ror_id_validator],
        help_text=_("Research Organization Registry identifier, if the institution has one."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ror_id"], condition=~Q(ror_id=""), name="institution_unique_ror_id"
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="institution_not_its_own_parent"
            ),
        ]
        indexes = [models.Index(fields=["country", "type"])]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def country_group(self):
        return country_group(self.country.code)


class Certification(models.Model):
    """A certification an institution holds, such as OECI or Deutsche Krebshilfe accreditation."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="certifications",
    )
    body = models.CharField(_("certifying body"), max_length=20, choices=CertificationBody.choices)
    title = models.CharField(
        _("certification"), max_length=200, help_text=_("For example: Comprehensive Cancer Centre")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="certification_valid_until_after_from",
            )
        ]

    def __str__(self):
        return f"{self.get_body_display()}: {self.title}"

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class WorkPackage(models.Model):
    """A work package of the Joint Action: management, transversal, or one network of expertise."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=WorkPackageKind.choices)
    description = models.TextField(_("description"), blank=True)
    lead_institution = models.ForeignKey(
        Institution,
        verbose_name=_("lead institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_work_packages",
    )
    co_lead_institution = models.ForeignKey(
        Institution,
        verbose_name=_("co-lead institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_led_work_packages",
    )

    class Meta:
        verbose_name = _("work package")
        verbose_name_plural = _("work packages")
        ordering = ["number"]

    def __str__(self):
        return f"WP{self.number} {self.title}"


class TaskForce(models.Model):
    """A transversal task force working across the networks."""

    title = models.CharField(_("title"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    work_package = models.ForeignKey(
        WorkPackage,
        verbose_name=_("work package"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task_forces",
        help_text=_("The work package the task force reports to, if any."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("task force")
        verbose_name_plural = _("task forces")
        ordering = ["position", "title"]

    def __str__(self):
        return self.title


class Network(models.Model):
    """A Network of Expertise: one network work package, which opens calls to join it."""

    work_package = models.OneToOneField(
        WorkPackage,
        verbose_name=_("work package"),
        on_delete=models.PROTECT,
        related_name="network",
        limit_choices_to={"kind": WorkPackageKind.NETWORK},
    )
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60)
    slug = models.SlugField(_("slug"), unique=True)
    scope = models.TextField(_("scope"))
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinators"),
        blank=True,
        related_name="coordinated_networks",
        help_text=_("People who run this network's calls and decide on its applications."),
    )

    class Meta:
        verbose_name = _("network of expertise")
        verbose_name_plural = _("networks of expertise")
        ordering = ["work_package__number"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("networks:detail", kwargs={"slug": self.slug})


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(until__isnull=True)


class Membership(models.Model):
    """An institution's membership of a network, in one tier, from a date until it ends."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.PROTECT, related_name="memberships"
    )
    tier = models.CharField(_("tier"), max_length=20, choices=MembershipTier.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    reason_ended = models.TextField(_("reason ended"), blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["network", "institution__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "network"],
                condition=Q(until__isnull=True),
                name="membership_one_current_per_network",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="membership_until_after_since",
            ),
        ]
        indexes = [models.Index(fields=["network", "until"])]

    def __str__(self):
        return f"{self.institution} – {self.network.short_name} ({self.get_tier_display()})"

    @property
    def is_current(self) -> bool:
        return self.until is None


class Topic(models.Model):
    """A term of the small controlled vocabulary of cancer types and topics.

    Applications and reviewers are described with it, so reviewers can be matched by expertise.
    """

    class Kind(models.TextChoices):
        CANCER_TYPE = "cancer_type", _("Cancer type")
        THEME = "theme", _("Theme")

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name
