"""Taking an application out of review: reopened or withdrawn by the applicant, or ruled
ineligible by a coordinator. Its status changes; its open reviewer assignments pause when it
is reopened (they resume when it is submitted again, workflow.routing), and end otherwise."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import Actor, ApplicationStatus
from applications.models import Application, InformationRequest
from applications.services.submission import ensure_can_submit
from applications.services.transitions import application_transition
from networks.rules import coordinator_required
from reviews.services.assignments import assignments_withdraw
from reviews.services.pausing import assignments_pause


def application_reopen(*, application: Application, user: User) -> Application:
    """Reopen a submitted application to change it; it must be submitted again to count."""
    ensure_can_submit(application, user)

    def check(locked: Application) -> None:
        if not locked.accepts_submissions_at(timezone.now()):
            raise ValidationError(
                _("The call has closed: the submitted version stands."), code="deadline"
            )

    return _leave_review(
        application=application,
        to_status=ApplicationStatus.DRAFT,
        user=user,
        actor_kind=Actor.APPLICANT,
        reason=_("Reopened by the applicant to make changes."),
        check=check,
        assignments_end=assignments_pause,
    )


@transaction.atomic
def application_withdraw(*, application: Application, user: User, reason: str) -> Application:
    """Withdraw an application; this cannot be undone. A request for information ends with it."""
    ensure_can_submit(application, user)
    _leave_review(
        application=application,
        to_status=ApplicationStatus.WITHDRAWN,
        user=user,
        actor_kind=Actor.APPLICANT,
        reason=reason,
    )
    InformationRequest.objects.open().filter(application=application).update(
        lapsed_at=timezone.now()
    )
    return application


def application_rule_ineligible(
    *, application: Application, user: User, reason: str
) -> Application:
    """A coordinator rules an application ineligible, with a reason; open assignments end."""
    coordinator_required(user, application.call.network)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason the application is ineligible.")})
    return _leave_review(
        application=application,
        to_status=ApplicationStatus.INELIGIBLE,
        user=user,
        actor_kind=Actor.COORDINATOR,
        reason=reason,
    )


@transaction.atomic
def _leave_review(
    *,
    application: Application,
    to_status: ApplicationStatus,
    user: User,
    actor_kind: Actor,
    reason: str,
    check=None,
    assignments_end=assignments_withdraw,
) -> Application:
    """Move an application out of routing and review: it stops awaiting routing, and its open
    reviewer assignments end (or pause) with the same reason."""
    application_transition(
        application=application,
        to_status=to_status,
        actor=user,
        actor_kind=actor_kind,
        reason=reason,
        check=check,
        extra_fields={"awaiting_routing_since": None},
    )
    assignments_end(application=application, user=user, reason=reason)
    return application
