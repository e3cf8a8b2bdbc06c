"""National endorsers, declared for the two-factor requirement (accounts/second_factor.py)."""

from django.db.models import Exists, OuterRef

from accounts.second_factor import role_register
from endorsements.models import NationalEndorser


def register() -> None:
    # An inactive endorser sees nothing, but may be made active again at any time.
    role_register("endorser", lambda: Exists(NationalEndorser.objects.filter(user=OuterRef("pk"))))
