import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.enums import SCAN_ACCEPTED, DeclarationKind, DocumentPurpose, MalwareScan
from applications.models.application import Application
from calls.enums import FileFormat
from calls.models import Criterion, RequiredDocument


class Answer(models.Model):
    """An application's answer to one criterion.

    `revision` grows with every save, so a colleague's save made on an older revision is caught
    instead of silently overwriting a newer answer.
    """

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="answers"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.JSONField(_("answer"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="answer_one_per_criterion"
            )
        ]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "applications"
        person = ("updated_by",)
        scrub = ("value",)

    def __str__(self):
        return f"{self.criterion.code}: {self.value}"

    @property
    def meaning(self) -> str:
        """The answer as a reader understands it ("Yes", "L3 – mature leader")."""
        return self.criterion.answer_meaning(self.value)


def document_upload_path(document: "ApplicationDocument", filename: str) -> str:
    # Generated names only: what the applicant called the file is kept in `original_name`.
    return f"applications/{document.application.public_id}/{uuid.uuid4().hex}.{document.extension}"


class ApplicationDocument(models.Model):
    """An uploaded file: a document the call requires, a file answer, or the endorsement letter.

    Stored under a generated name outside the web root and served only through a view that
    checks who asks. A replaced document is kept (a submitted version may refer to it).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=DocumentPurpose.choices)
    required_document = models.ForeignKey(
        RequiredDocument,
        verbose_name=_("required document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=document_upload_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=10, choices=FileFormat.choices)
    extension = models.CharField(_("extension"), max_length=10)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("replaced"), null=True, blank=True)
    malware_scan = models.CharField(
        _("malware scan"),
        max_length=20,
        choices=MalwareScan.choices,
        default=MalwareScan.NOT_SCANNED,
    )
    # What clamd named, for coordinators; the applicant is told only that malware was found.
    malware_signature = models.CharField(_("malware found"), max_length=200, blank=True)
    scanned_at = models.DateTimeField(_("scanned"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        purpose=DocumentPurpose.REQUIRED,
                        required_document__isnull=False,
                        criterion__isnull=True,
                    )
                    | Q(
                        purpose=DocumentPurpose.ANSWER,
                        criterion__isnull=False,
                        required_document__isnull=True,
                    )
                    | Q(
                        purpose=DocumentPurpose.ENDORSEMENT,
                        criterion__isnull=True,
                        required_document__isnull=True,
                    )
                ),
                name="document_slot_matches_purpose",
            ),
            # One current document per slot; replaced ones stay, with `superseded_at` set.
            models.UniqueConstraint(
                fields=["application", "required_document"],
                condition=Q(superseded_at__isnull=True, purpose=DocumentPurpose.REQUIRED),
                name="document_one_current_per_required_document",
            ),
            models.UniqueConstraint(
                fields=["application", "criterion"],
                condition=Q(superseded_at__isnull=True, purpose=DocumentPurpose.ANSWER),
                name="document_one_current_per_criterion",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(superseded_at__isnull=True, purpose=DocumentPurpose.ENDORSEMENT),
                name="document_one_current_endorsement_letter",
            ),
        ]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "applications"
        person = ("uploaded_by",)
        keep = ("file", "original_name", "uploaded_at")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("applications:document", kwargs={"public_id": self.public_id})

    @property
    def accepted(self) -> bool:
        """Counts as uploaded and may be opened: not held for, or refused by, the malware scan."""
        return self.malware_scan in SCAN_ACCEPTED


class Endorsement(models.Model):
    """The national letter of endorsement: who issued it and when; the letter is a document."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="endorsement",
    )
    issuing_authority = models.CharField(
        _("issuing authority"),
        max_length=255,
        help_text=_("For example: the Ministry of Health of your country."),
    )
    issued_on = models.DateField(_("date of the letter"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("national endorsement")
        verbose_name_plural = _("national endorsements")

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "endorsements"
        person = ("updated_by",)
        scrub = ("issuing_authority",)

    def __str__(self):
        return f"{self.issuing_authority} ({self.issued_on})"


class Declaration(models.Model):
    """A declaration made in the portal, by the director or by the representative."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="declarations",
    )
    kind = models.CharField(_("declaration"), max_length=20, choices=DeclarationKind.choices)
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200)
    signed_on = models.DateField(_("date"))
    confirmed = models.BooleanField(_("confirmed"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"], name="declaration_one_per_kind"
            ),
            models.CheckConstraint(condition=Q(confirmed=True), name="declaration_is_confirmed"),
        ]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "applications"
        person = ("confirmed_by",)
        erase = ("full_name", "position")
        keep = ("signed_on",)

    def __str__(self):
        return f"{self.get_kind_display()}: {self.full_name}"
