"""Deciding on an application: its status, the membership an acceptance grants, and the letter
that waits in the outbox until a coordinator releases it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import Actor, ApplicationStatus
from applications.models import Application
from applications.services.transitions import application_transition
from decisions.enums import LetterOutcome
from decisions.services.letters import letter_draft
from networks.rules import coordinator_required
from networks.services import membership_grant

# The statuses that are decisions: those a letter announces.
DECISIONS = tuple(ApplicationStatus(outcome) for outcome in LetterOutcome.values)


@transaction.atomic
def application_decide(
    *, application: Application, user: User, outcome: ApplicationStatus, reason: str
) -> Application:
    """Decide on an application; an accepted one makes its institution a member of the network.

    The membership is granted in the tier asked for, under the affiliated-partner rule.
    """
    coordinator_required(user, application.call.network)
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
