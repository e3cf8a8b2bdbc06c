"""Decision board and opinion panel members, declared for the two-factor requirement
(accounts/second_factor.py)."""

from django.db.models import Exists, OuterRef

from accounts import roles
from accounts.second_factor import group_member, role_register
from decisions.models import CallDecisionRules


def register() -> None:
    role_register("decision_board", lambda: group_member(roles.DECISION_BOARD))
    role_register(
        "opinion_panel",
        lambda: Exists(CallDecisionRules.panel.through.objects.filter(user=OuterRef("pk"))),
    )
