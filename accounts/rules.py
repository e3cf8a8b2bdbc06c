"""Who may do what for an institution, as django-rules predicates.

Deliberately no superuser shortcut: the services check the same affiliation, so a page never
offers an action its service would refuse. Administrators work in the admin.
"""

import rules

from accounts.enums import MANAGING_ROLES


@rules.predicate
def acts_for_institution(user, institution) -> bool:
    """The person acts for the institution, in any role."""
    if institution is None or not user.is_authenticated:
        return False
    return user.affiliations.filter(institution=institution).exists()


@rules.predicate
def manages_institution(user, institution) -> bool:
    """The person is the institution's representative or deputy."""
    if institution is None or not user.is_authenticated:
        return False
    return user.affiliations.filter(institution=institution, role__in=MANAGING_ROLES).exists()


rules.add_perm("accounts.act_for_institution", acts_for_institution)
rules.add_perm("accounts.manage_institution_people", manages_institution)
