"""Reviewers on an application: a coordinator's choice, and a batch assignment applied. The
assignments are the reviews app's; an eligible application that gets reviewers goes into
review."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import Actor, ApplicationStatus
from applications.models import Application
from applications.services.transitions import application_transition
from reviews.models import Assignment, ReviewerProfile, RoutingRun
from reviews.services.assignments import assignment_choose
from reviews.services.batch import routing_run_apply


def applications_into_review(
    applications: Iterable[Application], *, actor: User | None, actor_kind: Actor, reason: str
) -> None:
    """Each eligible application among these, now with reviewers, goes into review."""
    for application in applications:
        if application.status == ApplicationStatus.ELIGIBLE:
            application_transition(
                application=application,
                to_status=ApplicationStatus.IN_REVIEW,
                actor=actor,
                actor_kind=actor_kind,
                reason=reason,
            )


@transaction.atomic
def reviewer_choose(
    *,
    application: Application,
    reviewer: ReviewerProfile,
    user: User,
    reason: str,
    replacing: Assignment | None = None,
) -> Assignment:
    """A coordinator assigns a reviewer of their choice, in place of another one or not
    (reviews.services.assignments.assignment_choose says which reviewers may be chosen)."""
    assignment = assignment_choose(
        application=application, reviewer=reviewer, user=user, reason=reason, replacing=replacing
    )
    applications_into_review(
        [assignment.application],
        actor=user,
        actor_kind=Actor.COORDINATOR,
        reason=_("Reviewers assigned."),
    )
    return assignment


@transaction.atomic
def batch_assignment_apply(*, run: RoutingRun, user: User) -> int:
    """A coordinator applies a computed batch assignment; returns how many assignments it made."""
    applications, count = routing_run_apply(run=run, user=user)
    applications_into_review(
        applications,
        actor=user,
        actor_kind=Actor.COORDINATOR,
        reason=_("Reviewers assigned by batch."),
    )
    return count
