"""Routing: an application gets its reviewers once the automatic eligibility check passes.

Reliable by construction: it is asked for through the outbox (`application_route_on_commit`),
performed after the commit and tried again while places stay open, and this service is
idempotent. Routing of one call is serialised by a lock on the call row, so two
applications routed at once never both take a reviewer's last place. The database refuses a
second assignment of the same reviewer to the same application.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.enums import Actor, ApplicationStatus
from applications.models import Application
from applications.services.transitions import application_transition
from calls.models import Call
from calls.services import call_eligibility
from notifications.catalogue import NotificationKind
from notifications.services import notification_queue
from reviews.assignment import affinity, has_conflict, route_application
from reviews.enums import ACTIVE_ASSIGNMENT, AssignmentActor, AssignmentSource
from reviews.models import Assignment, RoutingEvent
from reviews.pool import application_features, reviewer_pool
from reviews.services.transitions import assignment_create

ROUTABLE = (ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW)


@dataclass(frozen=True)
class RoutingOutcome:
    assigned: list[Assignment]
    missing: int
    reason: str | None


def review_due_at(call: Call, assigned_at: datetime.datetime) -> datetime.datetime:
    return call.reviews_due_at or assigned_at + datetime.timedelta(days=call.review_days)


@transaction.atomic
def application_route(*, application_id: int) -> RoutingOutcome | None:
    """Check a submitted application's eligibility, then fill its missing reviewer places.

    Returns None when the application is gone or not (or no longer) to be routed.
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
        if not call_eligibility(call=call, institution=application.institution):
            _done(application, _("Not routed: the automatic eligibility check failed."))
            return None
        application_transition(
            application=application,
            to_status=ApplicationStatus.ELIGIBLE,
            actor=None,
            actor_kind=Actor.SYSTEM,
            reason=_("The automatic eligibility check passed."),
        )
    if application.status not in ROUTABLE:
        _done(application)
        return None

    assignments = list(application.assignments.all())
    active = [a for a in assignments if a.status in ACTIVE_ASSIGNMENT]
    needed = call.reviews_per_application - len(active)
    if needed <= 0:
        _done(application)
        return RoutingOutcome(assigned=[], missing=0, reason=None)

    features = application_features(application)
    pool = reviewer_pool(call=call, today=timezone.localdate())
    candidates = {
        member.features.id: affinity(features, member.features)
        for member in pool
        if not has_conflict(features, member.features)
    }
    route = route_application(
        candidates=candidates,
        needed=needed,
        capacity_left={member.features.id: member.room for member in pool},
        load={member.features.id: member.load for member in pool},
        already_assigned={a.reviewer_id for a in active},
        declined={a.reviewer_id for a in assignments if a.status not in ACTIVE_ASSIGNMENT},
    )
    now = timezone.now()
    created = [
        assignment_create(
            application_id=application.pk,
            reviewer_id=reviewer_id,
            source=AssignmentSource.ROUTER,
            affinity=candidates[reviewer_id],
            due_at=review_due_at(call, now),
            actor=None,
            actor_kind=AssignmentActor.SYSTEM,
        )
        for reviewer_id in route.reviewers
    ]
    for assignment in created:
        notification_queue(kind=NotificationKind.ASSIGNMENT, object_id=assignment.pk)
    if created and application.status == ApplicationStatus.ELIGIBLE:
        application_transition(
            application=application,
            to_status=ApplicationStatus.IN_REVIEW,
            actor=None,
            actor_kind=Actor.SYSTEM,
            reason=_("Reviewers assigned."),
        )
    message = ngettext(
        "Assigned %(count)d reviewer.", "Assigned %(count)d reviewers.", len(created)
    ) % {"count": len(created)}
    if route.missing:
        shortfall = ngettext(
            "%(missing)d place still open: %(reason)s",
            "%(missing)d places still open: %(reason)s",
            route.missing,
        ) % {
            "missing": route.missing,
            "reason": route.reason,
        }
        # Tried again with a growing interval while places stay open: one event per change of
        # what is missing, not one per try.
        last = application.routing_events.order_by("-at", "-pk").values_list("message", flat=True)
        if created or not (last.first() or "").endswith(shortfall):
            RoutingEvent.objects.create(application=application, message=f"{message} {shortfall}")
        # Left marked as awaiting routing until the places are filled.
        if application.awaiting_routing_since is None:
            application.awaiting_routing_since = now
            application.save(update_fields=["awaiting_routing_since"])
    else:
        _done(application, message)
    return RoutingOutcome(assigned=created, missing=route.missing, reason=route.reason)


def _done(application: Application, message: str | None = None) -> None:
    if message:
        RoutingEvent.objects.create(application=application, message=message)
    if application.awaiting_routing_since is not None:
        application.awaiting_routing_since = None
        application.save(update_fields=["awaiting_routing_since"])
