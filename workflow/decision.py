"""Deciding on an application: a coordinator's decision is a proposal for the decision board,
guarded against deciding too early; its letter waits in the outbox, and once the board approved
it and a coordinator releases the letter, the decision is known and an acceptance's membership
starts. Also the outcome of a review of a decision, which returns a revised one to review."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import Actor, ApplicationStatus
from applications.models import Application
from applications.services.eligibility import application_ineligibility_undo
from applications.services.transitions import application_transition
from decisions.enums import GuardWarning, LetterOutcome, RedressOutcome
from decisions.models import Letter, RedressRequest
from decisions.services import latest_change
from decisions.services.letters import instant_text, letter_draft, letter_release
from decisions.services.opinions import opinion_required_refusal
from decisions.services.proposals import proposal_create
from decisions.services.redress import redress_outcome_record, redress_still_contested
from networks.models import Membership
from networks.rules import coordinator_required
from networks.services import membership_grant, membership_grant_problems
from reviews.scoring import counted_reviews

# The statuses that are decisions: those a letter announces.
DECISIONS = tuple(ApplicationStatus(outcome) for outcome in LetterOutcome.values)


@dataclass(frozen=True)
class Warning:
    code: GuardWarning
    message: str


def decision_warnings(application: Application, *, now=None) -> list[Warning]:
    """Why deciding on the application now would be premature: reviews missing, or the call's
    deadline (or the applicant's extended one) not passed. Deciding anyway needs an override with
    a reason. Three queries."""
    call = application.call
    warnings = []
    reviews_in = application.assignments.filter(counted_reviews()).count()
    if reviews_in < call.reviews_per_application:
        warnings.append(
            Warning(
                GuardWarning.REVIEWS_MISSING,
                _("Only %(in)d of the %(expected)d reviews are in.")
                % {"in": reviews_in, "expected": call.reviews_per_application},
            )
        )
    # The applicant's own deadline: one extended by the secretariat may still change it.
    deadline = application.deadline
    if (now or timezone.now()) < deadline:
        message = (
            _("The applicant's extended deadline, %(deadline)s, has not passed.")
            if application.deadline_extended
            else _("The call's deadline, %(deadline)s, has not passed.")
        )
        warnings.append(
            Warning(
                GuardWarning.BEFORE_DEADLINE,
                message % {"deadline": instant_text(deadline, call)},
            )
        )
    return warnings


def _guard(application: Application, *, override: bool, override_reason: str) -> list[str]:
    """The warnings overridden (empty when there were none); refused without an override."""
    warnings = decision_warnings(application)
    if not warnings:
        return []
    if not override:
        raise ValidationError(
            {
                "override": [
                    _(
                        "Deciding now is premature: %(warnings)s Tick the override and give a "
                        "reason."
                    )
                    % {"warnings": " ".join(w.message for w in warnings)}
                ]
            },
            code="premature",
        )
    if not override_reason.strip():
        raise ValidationError(
            {"override_reason": [_("Give the reason for deciding before time.")]}, code="premature"
        )
    return [str(w.code) for w in warnings]


@transaction.atomic
def application_decide(
    *,
    application: Application,
    user: User,
    outcome: ApplicationStatus,
    reason: str,
    override: bool = False,
    override_reason: str = "",
) -> Application:
    """A coordinator proposes a decision on an application to the decision board.

    Refused before all the reviews are in or before the call's deadline, unless `override` is
    given with a reason, both recorded on the proposal and in the audit trail. An acceptance is
    refused if the call needs the network's favourable opinion and has none, or if the
    affiliated-partner rule would refuse the membership. The letter is drafted into the outbox;
    nothing reaches the applicant, and nobody becomes a member, before the board approves and a
    coordinator releases the letter (`decision_release`). A referred application is settled by
    the board itself (workflow.board.referral_settle).
    """
    coordinator_required(user, application.call.network)
    if outcome not in DECISIONS:
        raise ValidationError(_("That is not a decision."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    overridden = _guard(application, override=override, override_reason=override_reason)
    if outcome == ApplicationStatus.ACCEPTED:
        acceptance_check(application)
    application_transition(
        application=application,
        to_status=outcome,
        actor=user,
        actor_kind=Actor.COORDINATOR,
        reason=reason,
    )
    decision = latest_change(application)
    proposal_create(
        decision=decision,
        user=user,
        actor_kind=Actor.COORDINATOR,
        overridden=overridden,
        override_reason=override_reason if overridden else "",
    )
    # The letter waits in the outbox; neither it nor the decision reaches the applicant
    # before the board approves it and a coordinator releases it.
    letter_draft(application=application)
    return application


def acceptance_check(application: Application) -> None:
    """Refuse an acceptance the call's opinion rule or the affiliated-partner rule forbids."""
    refusal = opinion_required_refusal(application)
    if refusal:
        raise ValidationError(refusal, code="opinion_required")
    problems = membership_grant_problems(
        institution=application.institution,
        network=application.call.network,
        tier=application.tier_requested,
    )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def decision_release(*, letter: Letter, user: User) -> Letter:
    """A coordinator releases the letter of an approved decision: the applicant sees it, the
    letter is sent, and an acceptance makes the institution a member of the network from the
    day of release (in the tier asked for, under the affiliated-partner rule: refused, and
    nothing released, if the rule forbids it now)."""
    letter = letter_release(letter=letter, user=user)
    if letter.outcome == ApplicationStatus.ACCEPTED:
        application = letter.application
        already = Membership.objects.current().filter(
            institution=application.institution_id, network=application.call.network_id
        )
        if not already.exists():
            membership_grant(
                institution=application.institution,
                network=application.call.network,
                tier=application.tier_requested,
                since=timezone.localdate(letter.released_at),
            )
    return letter


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
