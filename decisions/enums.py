from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationStatus


class LetterOutcome(models.TextChoices):
    """The decisions a letter announces: the application statuses that are decisions."""

    ACCEPTED = ApplicationStatus.ACCEPTED.value, ApplicationStatus.ACCEPTED.label
    REJECTED = ApplicationStatus.REJECTED.value, ApplicationStatus.REJECTED.label
    WAITLISTED = ApplicationStatus.WAITLISTED.value, ApplicationStatus.WAITLISTED.label
    REFERRED = ApplicationStatus.REFERRED.value, ApplicationStatus.REFERRED.label


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, not released")
    RELEASED = "released", _("Released, being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Released, sending failed")
    SUPERSEDED = "superseded", _("Superseded by a later decision")


# A released letter makes its decision visible to the applicant, sent or still being sent.
DISCLOSED = frozenset({LetterStatus.RELEASED, LetterStatus.SENT, LetterStatus.FAILED})

# The decisions an applicant may ask to have reviewed: an acceptance needs no redress, and a
# referral is not final yet.
CONTESTABLE = frozenset({LetterOutcome.REJECTED, LetterOutcome.WAITLISTED})


class RedressOutcome(models.TextChoices):
    UPHELD = "upheld", _("Decision upheld")
    REVISED = "revised", _("Decision revised: the application returns to review")
