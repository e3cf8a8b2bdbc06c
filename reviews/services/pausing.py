"""Assignments paused while the applicant reopens an application, and resumed when it is
submitted again: the same reviewers get the new version first, and routing fills only the
places left. Every change goes through the assignment's transition table, with its audit
entry and an email to the reviewer."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from applications.enums import ApplicationStatus
from applications.models import Application
from calls.models import Call
from notifications.catalogue import NotificationKind
from reviews.assignment import has_conflict
from reviews.enums import ACTIVE_ASSIGNMENT, AssignmentActor, AssignmentStatus
from reviews.models import Assignment, RoutingEvent
from reviews.pool import application_features, reviewer_pool
from reviews.services.routing import review_due_at
from reviews.services.transitions import assignment_transition


def _locked(application: Application, statuses) -> list[Assignment]:
    # Locked in one query, in primary key order, like every caller that changes several; a
    # reviewer's reply that commits first is seen here and that assignment left as it is.
    return list(
        application.assignments.select_for_update().filter(status__in=statuses).order_by("pk")
    )


@transaction.atomic
def assignments_pause(*, application: Application, user: User | None, reason: str) -> int:
    """Pause the open assignments of a reopened application; each reviewer keeps their place
    in the call and is told. Returns how many were paused."""
    paused = _locked(application, ACTIVE_ASSIGNMENT)
    for assignment in paused:
        assignment_transition(
            assignment=assignment,
            to_status=AssignmentStatus.PAUSED,
            actor=user,
            actor_kind=AssignmentActor.SYSTEM,
            reason=reason,
            notify=NotificationKind.ASSIGNMENT_PAUSED,
        )
    if paused:
        RoutingEvent.objects.create(
            application=application,
            message=ngettext(
                "%(count)d assignment paused: %(reason)s",
                "%(count)d assignments paused: %(reason)s",
                len(paused),
            )
            % {"count": len(paused), "reason": reason},
        )
    return len(paused)


def assignments_resume(*, application: Application, call: Call) -> list[Assignment]:
    """Resume the paused assignments of a resubmitted application as proposals of the new
    version, each reviewer told, with a new due date; they accept or decline as usual.

    A reviewer no longer active or available, or now in conflict with the applicant, is not
    asked again: that assignment ends. The caller holds the application's and the call's row
    locks (routing); the place was kept, so no room is taken. Returns the resumed assignments.
    """
    paused = _locked(application, [AssignmentStatus.PAUSED])
    if not paused:
        return []
    features = application_features(application)
    still_free = {
        member.features.id
        for member in reviewer_pool(call=call, today=timezone.localdate())
        if not has_conflict(features, member.features)
    }
    resumed = []
    for assignment in paused:
        if assignment.reviewer_id in still_free:
            assignment_transition(
                assignment=assignment,
                to_status=AssignmentStatus.PROPOSED,
                actor=None,
                actor_kind=AssignmentActor.SYSTEM,
                reason=_("The application was submitted again."),
                extra_fields={"due_at": review_due_at(call, timezone.now()), "responded_at": None},
                notify=NotificationKind.ASSIGNMENT_RESUMED,
            )
            resumed.append(assignment)
        else:
            assignment_transition(
                assignment=assignment,
                to_status=AssignmentStatus.WITHDRAWN,
                actor=None,
                actor_kind=AssignmentActor.SYSTEM,
                reason=_("The reviewer is no longer available for the new version."),
                notify=NotificationKind.ASSIGNMENT_ENDED,
            )
    RoutingEvent.objects.create(
        application=application,
        message=ngettext(
            "%(count)d paused assignment resumed with the new version.",
            "%(count)d paused assignments resumed with the new version.",
            len(resumed),
        )
        % {"count": len(resumed)},
    )
    return resumed


def assignments_paused_lapse() -> int:
    """End the paused assignments of applications left in draft past their deadline (the
    call's, or the applicant's extended one): they can no longer be submitted again, so the
    reviewers' places are given back; each reviewer is told. Returns how many ended; run
    periodically, harmless to run twice."""
    now = timezone.now()
    candidates = (
        Assignment.objects.filter(
            status=AssignmentStatus.PAUSED, application__status=ApplicationStatus.DRAFT
        )
        .select_related("application__call", "application__deadline_extension")
        .prefetch_related("application__call__suspensions")
        .order_by("pk")
    )
    lapsed = [a for a in candidates if not a.application.accepts_submissions_at(now)]
    ended = 0
    for assignment in lapsed:
        with transaction.atomic():
            locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
            if locked.status != AssignmentStatus.PAUSED:
                continue  # declined or resumed meanwhile
            assignment_transition(
                assignment=locked,
                to_status=AssignmentStatus.WITHDRAWN,
                actor=None,
                actor_kind=AssignmentActor.SYSTEM,
                reason=_("The application was not submitted again before its deadline."),
                notify=NotificationKind.ASSIGNMENT_ENDED,
            )
            ended += 1
    return ended
