import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from privacy.enums import ExportStatus


class PrivacyNoticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class PrivacyNotice(models.Model):
    """One version of the portal's privacy notice (articles 15-16 of Regulation (EU) 2018/1725,
    13-14 of the GDPR). A version is edited as a draft, then published once and never changed:
    the text a person accepted stays what they read. The current notice is the published one
    with the highest version whose effective date has come."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_on = models.DateField(_("effective from"))
    text = models.TextField(
        _("text"), help_text=_("Markdown-like plain text: blank lines separate paragraphs.")
    )
    created_at = models.DateTimeField(_("drafted"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)

    objects = PrivacyNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(condition=models.Q(version__gte=1), name="privacy_version_1")
        ]

    def __str__(self):
        return _("Privacy notice, version %(version)s") % {"version": self.version}

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class NoticeAcceptance(models.Model):
    """A person's acceptance of one version of the privacy notice, with its instant."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="privacy_acceptances",
    )
    notice = models.ForeignKey(
        PrivacyNotice,
        verbose_name=_("notice"),
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    accepted_at = models.DateTimeField(_("accepted"))

    class Meta:
        verbose_name = _("privacy notice acceptance")
        verbose_name_plural = _("privacy notice acceptances")
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "notice"], name="privacy_accept_once")
        ]

    class PersonalData:
        """Personal fields (erasure/declarations.py): the proof that the person was informed."""

        activity = "rights"
        person = ("user",)
        keep = ("accepted_at",)

    def __str__(self):
        return f"{self.user} – {self.notice}"


def export_upload_path(instance, filename):
    return f"privacy-exports/{instance.public_id}/{filename}"


class DataExport(models.Model):
    """A person's request for a copy of their personal data (article 17 of 2018/1725, 15 and
    20 of the GDPR), built by a background job into one ZIP that only they may download,
    until it expires."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="data_exports",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    requested_at = models.DateTimeField(_("asked"))
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires"), null=True, blank=True)
    file = models.FileField(_("archive"), upload_to=export_upload_path, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="privacy_export_progress_100"
            ),
            # One export in the making per person: asking again shows the one under way.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status__in=["queued", "building"]),
                name="privacy_export_one_open_per_user",
            ),
        ]

    class PersonalData:
        """Personal fields (erasure/declarations.py): the archive is a copy of the person's
        data, deleted with its row (and its file) when they are erased."""

        activity = "rights"
        person = ("user",)
        keep = ("requested_at", "file")
        delete = True

    def __str__(self):
        return f"{self.user} – {self.requested_at:%Y-%m-%d %H:%M %Z}"
