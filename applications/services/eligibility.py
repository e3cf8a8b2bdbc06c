"""A coordinator's ruling that a submitted application is eligible, or that a ruling of
ineligibility is undone; it is then routed.

Ruling it ineligible ends its assignments too, and deciding on it grants a membership and drafts a
letter: those are steps of workflow.review and workflow.decision.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import Actor, ApplicationStatus
from applications.models import Application
from applications.services.submission import application_route_on_commit
from applications.services.transitions import application_transition
from networks.rules import coordinator_required


@transaction.atomic
def application_rule_eligible(*, application: Application, user: User) -> Application:
    """A coordinator confirms a submitted application is eligible; it is then routed."""
    coordinator_required(user, application.call.network)
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
def application_ineligibility_undo(
    *, application: Application, user: User, reason: str, to_status: ApplicationStatus
) -> Application:
    """A coordinator brings an ineligible application back, with a reason: to submitted, where
    the automatic eligibility check runs again, or to eligible, overruling it. It is then
    routed as usual (the reviewers whose assignments ended with the ruling are not asked
    again). Called by the admin's action and, for a revised ruling, by redress."""
    coordinator_required(user, application.call.network)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason the ruling is undone.")})
    if to_status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE):
        raise ValidationError(
            {"to_status": _("An ineligible application comes back as submitted or eligible.")}
        )
    application_transition(
        application=application,
        to_status=to_status,
        actor=user,
        actor_kind=Actor.COORDINATOR,
        reason=reason.strip(),
        extra_fields={"awaiting_routing_since": timezone.now()},
    )
    application_route_on_commit(application)
    return application
