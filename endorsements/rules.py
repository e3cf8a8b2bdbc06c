"""Who acts as a national endorser, as a django-rules predicate used by views and templates."""

import rules

from endorsements.models import NationalEndorser


@rules.predicate
def is_national_endorser(user) -> bool:
    """The user acts, actively, for a country's endorsing authority (remembered per request)."""
    if not user or not user.is_authenticated:
        return False
    cached = getattr(user, "_is_national_endorser", None)
    if cached is None:
        cached = NationalEndorser.objects.filter(user=user, active=True).exists()
        user._is_national_endorser = cached
    return cached


rules.add_rule("endorsements.is_endorser", is_national_endorser)
