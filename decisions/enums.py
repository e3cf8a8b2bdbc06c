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


class ProposalStatus(models.TextChoices):
    """A coordinator's proposed decision, as the decision board handles it."""

    PROPOSED = "proposed", _("Waiting for the decision board")
    APPROVED = "approved", _("Approved by the decision board")
    SENT_BACK = "sent_back", _("Sent back to the coordinators")
    # A referral the board decided on itself: its own decision is a proposal approved at once.
    SETTLED = "settled", _("Settled by the decision board")
    SUPERSEDED = "superseded", _("Superseded by a later decision")


class GuardWarning(models.TextChoices):
    """Why deciding now is premature: overridden only with a reason, which is recorded."""

    REVIEWS_MISSING = "reviews_missing", _("Not all the reviews are in")
    BEFORE_DEADLINE = "before_deadline", _("The call's deadline has not passed")
