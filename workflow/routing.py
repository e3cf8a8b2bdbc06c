"""Routing an application: the automatic eligibility check, its reviewer places filled, and the
application in review. Performed by the outbox (`applications.route`) after each change that
asks for it, and tried again with a growing wait while places stay open."""

from django.db import transaction
from django.utils.translation import gettext as _

from applications.enums import Actor, ApplicationStatus
from applications.models import Application
from applications.services.submission import ROUTE_EFFECT, application_routing_mark
from applications.services.transitions import application_transition
from calls.models import Call
from calls.services import call_eligibility
from endorsements.services.endorsing import endorsement_open, endorsement_refusals
from outbox.registry import Effect, Later, effect_register
from reviews.services.pausing import assignments_resume
from reviews.services.routing import ROUTABLE, RoutingOutcome, reviewers_fill, routing_event_record
from workflow.reviewers import applications_into_review


@transaction.atomic
def application_route(*, application_id: int) -> RoutingOutcome | None:
    """Check a submitted application's eligibility, resume the assignments paused when it was
    reopened, then fill its missing reviewer places.

    Returns None when the application is gone or not (or no longer) to be routed. Routing of
    one call is serialised by the call's row lock, so two applications routed at once never
    both take a reviewer's last place.
    """
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "institution")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return None
    call = Call.objects.select_for_update().get(pk=application.call_id)
    if application.status == ApplicationStatus.SUBMITTED:
        # The country's endorsers are asked (once each); a declined endorsement is ineligible.
        endorsement_open(application=application)
        reasons = call_eligibility(call=call, institution=application.institution).reasons
        reasons += endorsement_refusals(application=application)
        if reasons:
            routing_event_record(
                application=application,
                message=_("Not routed: the automatic eligibility check failed.")
                + " "
                + " ".join(reasons),
            )
            application_routing_mark(application=application, awaiting=False)
            return None
        application_transition(
            application=application,
            to_status=ApplicationStatus.ELIGIBLE,
            actor=None,
            actor_kind=Actor.SYSTEM,
            reason=_("The automatic eligibility check passed."),
        )
    if application.status not in ROUTABLE:
        application_routing_mark(application=application, awaiting=False)
        return None
    # The reviewers of the version before a reopening are asked first; routing fills the rest.
    resumed = assignments_resume(application=application, call=call)
    outcome = reviewers_fill(application=application, call=call)
    if outcome.assigned or resumed:
        applications_into_review(
            [application], actor=None, actor_kind=Actor.SYSTEM, reason=_("Reviewers assigned.")
        )
    # Left marked as awaiting routing until every place is filled.
    application_routing_mark(application=application, awaiting=bool(outcome.missing))
    return outcome


def _route(payload: dict) -> Later | None:
    outcome = application_route(application_id=payload["application_id"])
    if outcome is not None and outcome.missing:
        # The assignments made are kept; the rest is tried again as reviewers free up.
        return Later(reason=outcome.reason or "")
    return None


def _gave_up(payload: dict, error: str) -> None:
    application = Application.objects.filter(pk=payload["application_id"]).first()
    if application is not None:
        routing_event_record(
            application=application,
            message=_(
                "Routing stopped trying: %(reason)s. Assign the missing reviewers on the "
                "application's page."
            )
            % {"reason": error},
        )


def register() -> None:
    effect_register(ROUTE_EFFECT, Effect(perform=_route, gave_up=_gave_up))
