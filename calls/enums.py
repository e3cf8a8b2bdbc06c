from django.db import models
from django.utils.translation import gettext_lazy as _


class CallStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class AnswerType(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("Choice")
    MATURITY = "maturity", _("Maturity level (L1–L3)")
    FILE = "file", _("File")


class MaturityLevel(models.TextChoices):
    L1 = "L1", _("L1 – some resources")
    L2 = "L2", _("L2 – intermediate")
    L3 = "L3", _("L3 – mature leader")


class DocumentKind(models.TextChoices):
    ENDORSEMENT_LETTER = "endorsement_letter", _("National letter of endorsement")
    DIRECTOR_DECLARATION = "director_declaration", _("Declaration signed by the director or CEO")
    REPRESENTATIVE_DECLARATION = (
        "representative_declaration",
        _("Declaration signed by the representative"),
    )
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    CERTIFICATE = "certificate", _("Certificate")
    CV = "cv", _("Curriculum vitae")
    OTHER = "other", _("Other document")


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"
    XLSX = "xlsx", "Excel (XLSX)"
    ODT = "odt", "OpenDocument text (ODT)"
    PNG = "png", "PNG"
    JPEG = "jpeg", "JPEG"


class EndorsementRoute(models.TextChoices):
    """How a call accepts the national endorsement of an application."""

    UPLOAD = "upload", _("A letter uploaded by the applicant")
    PORTAL = "portal", _("In the portal, by the country's national endorsers")
    EITHER = "either", _("Either a letter or in the portal")
