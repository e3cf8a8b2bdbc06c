"""Routing's reviewers' part: an eligible application's missing places filled from the call's pool.

The whole step (the eligibility check, then this, then the application in review) is
workflow.routing.application_route.

Reliable by construction: it is asked for through the outbox (`application_route_on_commit`),
performed after the commit and tried again while places stay open, and this service is
idempotent. Routing of one call is serialised by a lock on the call row, so two
applications routed at once never both take a reviewer's last place. The database refuses a
second assignment of the same reviewer to the same application.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import ngettext

from applications.enums import ApplicationStatus
from applications.models import Application
from calls.models import Call
from notifications.catalogue import NotificationKind
from notifications.services import notification_queue
from reviews.assignment import ApplicationProfile, affinity, has_conflict, route_application
from reviews.enums import ACTIVE_ASSIGNMENT, AssignmentActor, AssignmentSource
from reviews.models import Assignment, RoutingEvent
from reviews.pool import PoolMember, application_features, reviewer_pool
from reviews.services.transitions import assignment_create

ROUTABLE = (ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW)


@dataclass(frozen=True)
class RoutingOutcome:
    assigned: list[Assignment]
    missing: int
    reason: str | None


@dataclass
class CallPool:
    """A call's reviewer pool as routing takes places from it: loaded under the call's row lock,
    then kept up to date in memory as reviewers are assigned, so a pass over many applications
    reads the pool once. Never loaded before the lock, nor kept past it: another change of the
    call's assignments (a coordinator's choice, another pass) waits for that lock."""

    members: list[PoolMember]
    room: dict[int, int] = field(default_factory=dict)
    load: dict[int, int] = field(default_factory=dict)

    @classmethod
    def of(cls, call: Call) -> "CallPool":
        members = reviewer_pool(call=call, today=timezone.localdate())
        return cls(
            members=members,
            room={member.features.id: member.room for member in members},
            load={member.features.id: member.load for member in members},
        )

    def take(self, reviewer_id: int) -> None:
        self.room[reviewer_id] -= 1
        self.load[reviewer_id] += 1


def review_due_at(call: Call, assigned_at: datetime.datetime) -> datetime.datetime:
    return call.reviews_due_at or assigned_at + datetime.timedelta(days=call.review_days)


def reviewers_fill(
    *,
    application: Application,
    call: Call,
    pool: CallPool | None = None,
    features: ApplicationProfile | None = None,
) -> RoutingOutcome:
    """Fill an eligible application's missing reviewer places from the call's pool: best match,
    no conflict of interest, never above capacity, load balanced. Each new reviewer is told, and
    the routing history says what was done and, when places stay open, why.

    The caller holds the application's and the call's row locks (workflow.routing); `pool`,
    loaded under the same call lock, saves reading it again and is told of the places taken;
    `features`, the application's, read for many at once (`application_features`).
    """
    assignments = list(application.assignments.all())
    active = [a for a in assignments if a.status in ACTIVE_ASSIGNMENT]
    needed = call.reviews_per_application - len(active)
    if needed <= 0:
        return RoutingOutcome(assigned=[], missing=0, reason=None)

    features = features or application_features(application)
    pool = pool or CallPool.of(call)
    candidates = {
        member.features.id: affinity(features, member.features)
        for member in pool.members
        if not has_conflict(features, member.features)
    }
    route = route_application(
        candidates=candidates,
        needed=needed,
        capacity_left=pool.room,
        load=pool.load,
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
        pool.take(assignment.reviewer_id)
        notification_queue(kind=NotificationKind.ASSIGNMENT, object_id=assignment.pk)
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
            routing_event_record(application=application, message=f"{message} {shortfall}")
    else:
        routing_event_record(application=application, message=message)
    return RoutingOutcome(assigned=created, missing=route.missing, reason=route.reason)


def routing_event_record(*, application: Application, message: str) -> RoutingEvent:
    """Add a line to the application's routing history."""
    return RoutingEvent.objects.create(application=application, message=message)
