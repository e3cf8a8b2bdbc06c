"""Assignments: a reviewer accepts or declines; a coordinator chooses or replaces a reviewer;
they are withdrawn when the application leaves review."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from applications.enums import ApplicationStatus
from applications.models import Application
from applications.services.submission import application_route_on_commit
from calls.models import Call
from networks.rules import coordinator_required
from notifications.catalogue import NotificationKind
from notifications.services import notification_queue
from reviews.assignment import affinity, has_conflict
from reviews.enums import (
    ACTIVE_ASSIGNMENT,
    OPEN_ASSIGNMENT,
    AssignmentActor,
    AssignmentSource,
    AssignmentStatus,
    ReviewStatus,
)
from reviews.models import Assignment, ConflictDeclaration, ReviewerProfile, RoutingEvent
from reviews.pool import application_features, reviewer_pool
from reviews.services.routing import review_due_at
from reviews.services.transitions import (
    assignment_create,
    assignment_transition,
    transition_allowed,
)


def _own(assignment: Assignment, user: User) -> Assignment:
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.reviewer.user_id != user.pk:
        raise PermissionDenied
    return locked


@transaction.atomic
def assignment_accept(*, assignment: Assignment, user: User, no_conflict: bool) -> Assignment:
    """Accept an assignment; the reviewer must first declare they have no conflict of interest."""
    assignment = _own(assignment, user)
    if not no_conflict:
        raise ValidationError(
            {"no_conflict": _("Declare that you have no conflict of interest to accept.")}
        )
    if not transition_allowed(
        from_status=assignment.status,
        to_status=AssignmentStatus.ACCEPTED,
        actor_kind=AssignmentActor.REVIEWER,
    ):
        raise ValidationError(_("This assignment is no longer waiting for your reply."))
    now = timezone.now()
    return assignment_transition(
        assignment=assignment,
        to_status=AssignmentStatus.ACCEPTED,
        actor=user,
        actor_kind=AssignmentActor.REVIEWER,
        extra_fields={"no_conflict_declared_at": now, "responded_at": now},
    )


@transaction.atomic
def assignment_decline(
    *, assignment: Assignment, user: User, reason: str, conflict: bool = False
) -> Assignment:
    """Decline an assignment, with a reason; the application is routed to the next best reviewer.

    With `conflict`, the reviewer declares a conflict of interest with the applicant, which also
    keeps them away from the institution's other applications.
    """
    assignment = _own(assignment, user)
    if not transition_allowed(
        from_status=assignment.status,
        to_status=AssignmentStatus.DECLINED,
        actor_kind=AssignmentActor.REVIEWER,
    ):
        raise ValidationError(_("This assignment has already ended."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you decline.")})
    assignment_transition(
        assignment=assignment,
        to_status=AssignmentStatus.DECLINED,
        actor=user,
        actor_kind=AssignmentActor.REVIEWER,
        reason=reason,
        extra_fields={"decline_reason": reason, "responded_at": timezone.now()},
        data={"conflict": conflict},
    )
    if conflict:
        ConflictDeclaration.objects.get_or_create(
            reviewer=assignment.reviewer,
            institution=assignment.application.institution,
            defaults={"reason": reason[:500]},
        )
    RoutingEvent.objects.create(
        application=assignment.application,
        message=_("%(reviewer)s declined: %(reason)s")
        % {"reviewer": assignment.reviewer, "reason": reason},
    )
    _route_again(assignment.application)
    return assignment


def _route_again(application: Application) -> None:
    Application.objects.filter(pk=application.pk, awaiting_routing_since__isnull=True).update(
        awaiting_routing_since=timezone.now()
    )
    application_route_on_commit(application)


@transaction.atomic
def assignments_withdraw(*, application: Application, user: User | None, reason: str) -> int:
    """End the open assignments of an application (withdrawn or ruled ineligible), paused ones
    too, each with an audit entry naming `user`, whose change of the application caused it,
    and an email to the reviewer. A reopened application's pause: reviews.services.pausing."""
    # Locked in one query, in primary key order; a reviewer's reply that commits first is
    # seen here and that assignment is left as the reviewer made it.
    open_assignments = list(
        application.assignments.select_for_update()
        .filter(status__in=OPEN_ASSIGNMENT)
        .order_by("pk")
    )
    for assignment in open_assignments:
        assignment_transition(
            assignment=assignment,
            to_status=AssignmentStatus.WITHDRAWN,
            actor=user,
            actor_kind=AssignmentActor.SYSTEM,
            reason=reason,
            # What ended it, for the reviewer's email (the reason may be the coordinators').
            data={"application_status": str(application.status)},
            notify=NotificationKind.ASSIGNMENT_ENDED,
        )
    count = len(open_assignments)
    if count:
        RoutingEvent.objects.create(
            application=application,
            message=ngettext(
                "%(count)d open assignment withdrawn: %(reason)s",
                "%(count)d open assignments withdrawn: %(reason)s",
                count,
            )
            % {"count": count, "reason": reason},
        )
    return count


def reviews_due_soon(*, within: datetime.timedelta) -> list[int]:
    """Assignments whose review is due within `within` and not yet submitted."""
    now = timezone.now()
    return list(
        Assignment.objects.filter(
            status__in=ACTIVE_ASSIGNMENT, due_at__gt=now, due_at__lte=now + within
        )
        .exclude(review__status=ReviewStatus.SUBMITTED)
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class Candidate:
    """A reviewer a coordinator may choose for an application, with how well they match."""

    reviewer: ReviewerProfile
    affinity: float
    load: int
    room: int


def reviewer_candidates(*, application: Application) -> list[Candidate]:
    """Active, available reviewers free of conflict with the application and not already on it,
    best match first (the network's own reviewers match best): what a coordinator chooses from
    to assign or replace a reviewer."""
    call = application.call
    features = application_features(application)
    taken = set(application.assignments.values_list("reviewer_id", flat=True))
    members = {
        member.features.id: member
        for member in reviewer_pool(call=call, today=timezone.localdate())
        if member.features.id not in taken and not has_conflict(features, member.features)
    }
    profiles = ReviewerProfile.objects.filter(pk__in=members).select_related("user", "institution")
    candidates = [
        Candidate(
            reviewer=profile,
            affinity=affinity(features, members[profile.pk].features),
            load=members[profile.pk].load,
            room=members[profile.pk].room,
        )
        for profile in profiles
    ]
    return sorted(candidates, key=lambda c: (-c.affinity, c.load, c.reviewer.pk))


@transaction.atomic
def assignment_choose(
    *,
    application: Application,
    reviewer: ReviewerProfile,
    user: User,
    reason: str,
    replacing: Assignment | None = None,
) -> Assignment:
    """A coordinator assigns a reviewer of their choice, in place of another one or not.

    The same rules as routing hold: an active reviewer, free of conflict, with room left in the
    call, not already on the application. The replaced assignment is withdrawn.
    """
    coordinator_required(user, application.call.network)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you choose this reviewer.")})
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "institution")
        .get(pk=application.pk)
    )
    # The call too, after the application as routing does: the reviewer's room left in the
    # call is checked and taken under it.
    Call.objects.select_for_update(no_key=True).get(pk=application.call_id)
    if application.status not in (ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW):
        raise ValidationError(
            _("Reviewers are assigned to eligible applications and applications in review.")
        )
    if replacing is not None:
        replacing = Assignment.objects.select_for_update().get(pk=replacing.pk)
        if replacing.application_id != application.pk or replacing.status not in ACTIVE_ASSIGNMENT:
            raise ValidationError(
                {"replacing": _("That assignment is not open on this application.")}
            )
    candidate = next(
        (c for c in reviewer_candidates(application=application) if c.reviewer.pk == reviewer.pk),
        None,
    )
    if candidate is None:
        raise ValidationError(
            {
                "reviewer": _(
                    "This reviewer cannot review this application: not active or available, "
                    "in conflict of interest, or already assigned to it."
                )
            }
        )
    if candidate.room <= 0:
        raise ValidationError({"reviewer": _("This reviewer has no room left in this call.")})
    if replacing is not None:
        assignment_transition(
            assignment=replacing,
            to_status=AssignmentStatus.WITHDRAWN,
            actor=user,
            actor_kind=AssignmentActor.COORDINATOR,
            reason=reason,
            data={"reviewer": replacing.reviewer_id, "replaced_by": reviewer.pk},
            notify=NotificationKind.ASSIGNMENT_ENDED,
        )
    assignment = assignment_create(
        application_id=application.pk,
        reviewer_id=reviewer.pk,
        source=AssignmentSource.COORDINATOR,
        affinity=candidate.affinity,
        due_at=review_due_at(application.call, timezone.now()),
        actor=user,
        actor_kind=AssignmentActor.COORDINATOR,
        reason=reason,
    )
    RoutingEvent.objects.create(
        application=application,
        message=_("%(reviewer)s assigned by a coordinator: %(reason)s")
        % {"reviewer": reviewer, "reason": reason},
    )
    notification_queue(kind=NotificationKind.ASSIGNMENT, object_id=assignment.pk)
    # The locked application goes with it: workflow.reviewers puts it in review.
    assignment.application = application
    return assignment
