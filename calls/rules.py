"""Who may change what of calls, as django-rules predicates used by the admin."""

import rules

from calls.selectors import criteria_sets_editable_by
from networks.rules import coordinates_network


@rules.predicate
def may_edit_criteria_set(user, criteria_set) -> bool:
    """The user may change the criteria set, its sections and criteria (one rule, written once
    as the query calls.selectors.criteria_sets_editable_by)."""
    if criteria_set is None or criteria_set.pk is None:
        return False
    return criteria_sets_editable_by(user=user).filter(pk=criteria_set.pk).exists()


@rules.predicate
def may_preview_call(user, call) -> bool:
    """The user may see a call's application form before it opens: its network's coordinators
    and administrators, whatever the call's state."""
    return call is not None and coordinates_network(user, call.network)
