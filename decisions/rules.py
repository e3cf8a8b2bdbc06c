"""Who may ask for a review of a decision, as django-rules predicates."""

import rules

from accounts.rules import acts_for_institution


@rules.predicate
def acts_for_applicant(user, application) -> bool:
    """The person acts for the institution that applied."""
    return application is not None and acts_for_institution(user, application.institution)


rules.add_perm("decisions.request_redress", acts_for_applicant)
