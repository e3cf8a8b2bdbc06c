"""Coordinators' rulings on submitted applications: eligibility, and the decision on membership."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import Actor, ApplicationStatus
from applications.models import Application
from applications.services.submission import application_route_on_commit
from applications.services.transitions import application_transition
from decisions.services.letters import letter_draft
from networks.rules import coordinates_network
from networks.services import membership_grant

DECISIONS = (
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.REFERRED,
)


def _ensure_coordinator(application: Application, user: User) -> None:
    if not coordinates_network(user, application.call.network):
        raise PermissionDenied(_("Only a coordinator of this network may rule on it."))


@transaction.atomic
def application_rule_eligible(*, application: Application, user: User) -> Application:
    """A coordinator confirms a submitted application is eligible; it is then routed."""
    _ensure_coordinator(application, user)
    application_transition(
        application=application,
        to_status=ApplicationStatus.ELIGIBLE,
        actor=user,
        actor_kind=Actor.COORDINATOR,
        reason=_("Ruled eligible by a coordinator."),
        extra_fields={"awaiting_routing_since": timezone.now()},
    )
    application_route_on_commit(application)
    return application


@transaction.atomic
def application_decide(
    *, application: Application, user: User, outcome: ApplicationStatus, reason: str
) -> Application:
    """Decide on an application; an accepted one makes its institution a member of the network.

    The membership is granted in the tier asked for, under the affiliated-partner rule.
    """
    _ensure_coordinator(application, user)
    if outcome not in DECISIONS:
        raise ValidationError(_("That is not a decision."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    application_transition(
        application=application,
        to_status=outcome,
        actor=user,
        actor_kind=Actor.COORDINATOR,
        reason=reason,
    )
    if outcome == ApplicationStatus.ACCEPTED:
        membership_grant(
            institution=application.institution,
            network=application.call.network,
            tier=application.tier_requested,
            since=timezone.localdate(),
        )
    # The letter waits in the outbox; neither it nor the decision reaches the applicant
    # before a coordinator releases it.
    letter_draft(application=application)
    return application
