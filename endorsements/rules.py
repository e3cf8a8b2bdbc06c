"""Who acts as a national endorser, as a django-rules predicate used by views and templates."""

import rules

from accounts.person_roles import person_role_register, person_roles
from endorsements.models import NationalEndorser

person_role_register(
    "national_endorser", lambda user: NationalEndorser.objects.filter(user=user, active=True)
)


@rules.predicate
def is_national_endorser(user) -> bool:
    """The user acts, actively, for a country's endorsing authority (remembered per request)."""
    return person_roles(user)["national_endorser"]


rules.add_rule("endorsements.is_endorser", is_national_endorser)
