"""Deciding on an application: its status, the membership an acceptance grants, and the letter
that waits in the outbox until a coordinator releases it; and the outcome of a review of a
decision, which returns a revised one to review."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import Actor, ApplicationStatus
from applications.models import Application
from applications.services.eligibility import application_ineligibility_undo
from applications.services.transitions import application_transition
from decisions.enums import LetterOutcome, RedressOutcome
from decisions.models import RedressRequest
from decisions.services.letters import letter_draft
from decisions.services.redress import redress_outcome_record, redress_still_contested
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


@transaction.atomic
def redress_decide(
    *, redress: RedressRequest, user: User, outcome: RedressOutcome, reason: str
) -> RedressRequest:
    """A coordinator records the outcome of a review; a revised decision returns the
    application to review, where the coordinator decides on it again, and a revised ruling of
    ineligibility makes it eligible and routes it."""
    redress = redress_outcome_record(redress=redress, user=user, outcome=outcome, reason=reason)
    if outcome == RedressOutcome.REVISED and redress.ruling_id is not None:
        # A revised ruling of ineligibility: the application is eligible, and routed again.
        Application.objects.select_for_update().filter(pk=redress.application_id).first()
        if not redress_still_contested(redress):
            raise ValidationError(
                _("The application's status changed since the review was asked for.")
            )
        application_ineligibility_undo(
            application=redress.application,
            user=user,
            reason=_("Ruling of ineligibility revised on review: %(reason)s")
            % {"reason": reason.strip()},
            to_status=ApplicationStatus.ELIGIBLE,
        )
    elif outcome == RedressOutcome.REVISED:

        def still_contested(_application: Application) -> None:
            if not redress_still_contested(redress):
                raise ValidationError(
                    _("The application was decided on again since the review was asked for.")
                )

        application_transition(
            application=redress.application,
            to_status=ApplicationStatus.IN_REVIEW,
            actor=user,
            actor_kind=Actor.COORDINATOR,
            reason=_("Decision revised on review: %(reason)s") % {"reason": reason.strip()},
            check=still_contested,
        )
    return redress
