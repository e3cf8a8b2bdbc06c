"""A reviewer's assignments: accepting with a declaration, declining, and withdrawing them."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Application
from audit.services import audit_record
from reviews.enums import ACTIVE_ASSIGNMENT, AssignmentStatus, ReviewStatus
from reviews.models import Assignment, ConflictDeclaration, RoutingEvent


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
    if assignment.status != AssignmentStatus.PROPOSED:
        raise ValidationError(_("This assignment is no longer waiting for your reply."))
    now = timezone.now()
    assignment.status = AssignmentStatus.ACCEPTED
    assignment.no_conflict_declared_at = now
    assignment.responded_at = now
    assignment.save(update_fields=["status", "no_conflict_declared_at", "responded_at"])
    return assignment


@transaction.atomic
def assignment_decline(
    *, assignment: Assignment, user: User, reason: str, conflict: bool = False
) -> Assignment:
    """Decline an assignment, with a reason; the application is routed to the next best reviewer.

    With `conflict`, the reviewer declares a conflict of interest with the applicant, which also
    keeps them away from the institution's other applications.
    """
    assignment = _own(assignment, user)
    if assignment.status not in ACTIVE_ASSIGNMENT:
        raise ValidationError(_("This assignment has already ended."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you decline.")})
    assignment.status = AssignmentStatus.DECLINED
    assignment.decline_reason = reason
    assignment.responded_at = timezone.now()
    assignment.save(update_fields=["status", "decline_reason", "responded_at"])
    if conflict:
        ConflictDeclaration.objects.get_or_create(
            reviewer=assignment.reviewer,
            institution=assignment.application.institution,
            defaults={"reason": reason[:500]},
        )
    audit_record(action="assignment.declined", obj=assignment, actor=user, reason=reason)
    RoutingEvent.objects.create(
        application=assignment.application,
        message=_("%(reviewer)s declined: %(reason)s")
        % {"reviewer": assignment.reviewer, "reason": reason},
    )
    _route_again(assignment.application)
    return assignment


def _route_again(application: Application) -> None:
    from reviews.tasks import application_route_task

    Application.objects.filter(pk=application.pk, awaiting_routing_since__isnull=True).update(
        awaiting_routing_since=timezone.now()
    )
    transaction.on_commit(lambda: application_route_task.delay(application_id=application.pk))


def assignments_withdraw(*, application: Application, reason: str) -> int:
    """End the open assignments of an application (reopened, withdrawn or ruled ineligible)."""
    count = application.assignments.filter(status__in=ACTIVE_ASSIGNMENT).update(
        status=AssignmentStatus.WITHDRAWN
    )
    if count:
        RoutingEvent.objects.create(
            application=application,
            message=_("%(count)d open assignment(s) withdrawn: %(reason)s")
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
