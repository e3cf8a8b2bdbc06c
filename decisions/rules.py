"""Who may ask for a review of a decision, sit on the decision board, or give the network's
opinion, as django-rules predicates."""

import rules
from django.contrib.auth.models import Group

from accounts import roles
from accounts.person_roles import person_role_register, person_roles
from accounts.rules import acts_for_institution
from networks.rules import coordinates_network

person_role_register(
    "decision_board", lambda user: Group.objects.filter(user=user, name=roles.DECISION_BOARD)
)


@rules.predicate
def acts_for_applicant(user, application) -> bool:
    """The person acts for the institution that applied."""
    return application is not None and acts_for_institution(user, application.institution)


rules.add_perm("decisions.request_redress", acts_for_applicant)


@rules.predicate
def is_board_member(user) -> bool:
    """The person is an active member of the decision board (the Joint Action's, every call)."""
    return person_roles(user)["decision_board"]


@rules.predicate
def gives_opinion(user, call) -> bool:
    """The person may record the network's opinion on the call's applications: a coordinator
    of its network, or someone the coordinators named to the call's opinion panel."""
    if call is None or not user.is_authenticated or not user.is_active:
        return False
    if coordinates_network(user, call.network):
        return True
    return user.opinion_panels.filter(call=call).exists()


rules.add_perm("decisions.decide_as_board", is_board_member)
# The same, as a rule: the navigation tests it without the model backend's permission queries.
rules.add_rule("decisions.is_board_member", is_board_member)
rules.add_perm("decisions.give_opinion", gives_opinion)
