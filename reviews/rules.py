"""Who acts as a reviewer, as a django-rules predicate used by the navigation."""

import rules

from accounts.person_roles import person_role_register, person_roles
from reviews.models import ReviewerProfile

person_role_register("reviewer", lambda user: ReviewerProfile.objects.filter(user=user))


@rules.predicate
def is_reviewer(user) -> bool:
    """The person has a reviewer's profile (remembered per request)."""
    return person_roles(user)["reviewer"]


rules.add_rule("reviews.is_reviewer", is_reviewer)
