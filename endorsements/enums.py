from django.db import models
from django.utils.translation import gettext_lazy as _


class EndorsementState(models.TextChoices):
    PENDING = "pending", _("Awaiting endorsement")
    LETTER_UPLOADED = "letter_uploaded", _("Letter uploaded, not yet confirmed")
    LETTER_CONFIRMED = "letter_confirmed", _("Letter confirmed by the national endorser")
    ENDORSED = "endorsed", _("Endorsed in the portal")
    DECLINED = "declined", _("Endorsement declined")


# The states in which the country has endorsed the application (or its letter stands).
ENDORSED_STATES = frozenset({EndorsementState.ENDORSED, EndorsementState.LETTER_CONFIRMED})
# The states in which the endorsers have not acted yet: they are reminded before it closes.
AWAITING_STATES = frozenset({EndorsementState.PENDING, EndorsementState.LETTER_UPLOADED})


class EndorsementActor(models.TextChoices):
    """On whose behalf an endorsement changes state; the transition table allows each by actor."""

    ENDORSER = "endorser", _("National endorser")
    SYSTEM = "system", _("The portal")


class EndorserDecision(models.TextChoices):
    """What a national endorser does with an application on its page."""

    ENDORSE = "endorse", _("Endorse the application")
    CONFIRM_LETTER = "confirm_letter", _("Confirm the uploaded letter")
    DECLINE = "decline", _("Decline to endorse")
