from django.db import models
from django.utils.translation import gettext_lazy as _


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the secretariat")
    CARRIED_OUT = "carried_out", _("Carried out")
    REFUSED = "refused", _("Refused")
