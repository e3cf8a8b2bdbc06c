from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionRole(models.TextChoices):
    """What a person may do for their institution in the portal."""

    REPRESENTATIVE = "representative", _("Representative")
    DEPUTY = "deputy", _("Deputy")
    CONTRIBUTOR = "contributor", _("Contributor")


# Who may invite colleagues, decide on join requests and submit applications.
MANAGING_ROLES = frozenset({InstitutionRole.REPRESENTATIVE, InstitutionRole.DEPUTY})
