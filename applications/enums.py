from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    IN_REVIEW = "in_review", _("In review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REFERRED = "referred", _("Referred to the decision board")
    # A coordinator reopened some sections; the applicant answers before its own due date.
    INFORMATION_REQUESTED = "info_requested", _("Information requested")


# Submitted and not yet decided: the applicant may still reopen (until the deadline) or withdraw.
# While information is requested only the reopened sections change, so the overview offers
# "Send the information" instead of reopening; withdrawing stays possible.
SUBMITTED_UNDECIDED = frozenset(
    {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.ELIGIBLE,
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.INFORMATION_REQUESTED,
    }
)
# Where an application may be when a coordinator asks for more information; it returns there.
INFORMATION_RESUMABLE = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.IN_REVIEW,
)


class Actor(models.TextChoices):
    """On whose behalf a change of state is made; the transition table allows each by actor."""

    APPLICANT = "applicant", _("Applicant")
    COORDINATOR = "coordinator", _("Coordinator")
    SYSTEM = "system", _("The portal")
    # A member of the decision board: approves or sends back proposals, settles referrals.
    BOARD = "board", _("Decision board")


class DocumentPurpose(models.TextChoices):
    REQUIRED = "required", _("Required document")
    ANSWER = "answer", _("Answer to a criterion")
    ENDORSEMENT = "endorsement", _("National letter of endorsement")


class MalwareScan(models.TextChoices):
    """What clamd said of a document. Without scanning configured, documents are not scanned
    and count as uploaded; with it, only a clean one counts (applications/services/malware.py)."""

    NOT_SCANNED = "not_scanned", _("Not scanned")
    PENDING = "pending", _("Being checked for malware")
    CLEAN = "clean", _("No malware found")
    INFECTED = "infected", _("Malware found")


# The states in which a document counts as uploaded, and may be opened.
SCAN_ACCEPTED = frozenset({MalwareScan.NOT_SCANNED, MalwareScan.CLEAN})


class DeclarationKind(models.TextChoices):
    DIRECTOR = "director", _("Declaration of the director or CEO")
    REPRESENTATIVE = "representative", _("Declaration of the representative")


DECLARATION_TEXTS = {
    DeclarationKind.DIRECTOR: _(
        "I declare, as director or chief executive of the institution, that the information in "
        "this application is true and complete, and that the institution commits to take part in "
        "the network's work, to share its expertise and to report on its activity."
    ),
    DeclarationKind.REPRESENTATIVE: _(
        "I declare that I will represent the institution in the network, take part in its "
        "meetings and activities, and keep the network informed of changes that affect the "
        "institution's membership."
    ),
}
