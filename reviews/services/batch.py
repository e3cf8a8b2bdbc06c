"""Batch assignment of a whole call: computed in the background, previewed, then applied at once.

A coordinator starts a run from the admin. A Celery task computes the optimal assignment (a
min-cost flow) and stores a preview; nothing changes until the coordinator applies it, which
happens in one transaction and is refused if the call changed in between.
"""

from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Application
from calls.models import Call
from networks.rules import coordinator_required
from notifications.catalogue import NotificationKind
from notifications.services import notification_queue
from outbox.services import outbox_enqueue
from reviews.assignment import affinity, assign_call
from reviews.enums import ACTIVE_ASSIGNMENT, AssignmentActor, AssignmentSource, RoutingRunStatus
from reviews.models import Assignment, ReviewerProfile, RoutingEvent, RoutingRun
from reviews.pool import application_features, group_ids, reviewer_pool
from reviews.services.routing import ROUTABLE, review_due_at
from reviews.services.transitions import assignment_create

# The outbox effect that queues a run's computation (reviews.effects): a task of its own,
# because it writes its progress as it goes, outside any transaction, for the admin to show.
ROUTING_RUN_EFFECT = "reviews.routing_run_compute"


@transaction.atomic
def routing_run_start(*, call: Call, user: User) -> RoutingRun:
    """Record a batch assignment to compute; its task is queued through the outbox, once this
    commits.

    Only a coordinator of the call's network, or an administrator, may start one.
    """
    coordinator_required(user, call.network)
    run = RoutingRun.objects.create(call=call, created_by=user)
    outbox_enqueue(
        kind=ROUTING_RUN_EFFECT, key=f"{ROUTING_RUN_EFFECT}:{run.pk}", payload={"run_id": run.pk}
    )
    return run


def _progress(run: RoutingRun, percent: int, message: str) -> None:
    # Written outside any transaction, so the admin page shows it while the work goes on.
    RoutingRun.objects.filter(pk=run.pk).update(progress=percent, progress_message=message)


def routing_run_compute(*, run_id: int) -> RoutingRun | None:
    """Compute the optimal assignment of a run's call and store it as a preview."""
    run = RoutingRun.objects.select_related("call").filter(pk=run_id).first()
    if run is None or run.status not in (RoutingRunStatus.QUEUED, RoutingRunStatus.RUNNING):
        return run
    RoutingRun.objects.filter(pk=run.pk).update(status=RoutingRunStatus.RUNNING)
    try:
        _progress(run, 10, _("Reading the applications and the reviewers"))
        call = run.call
        applications = list(
            Application.objects.filter(call=call, status__in=ROUTABLE)
            .select_related("call", "institution")
            .prefetch_related("topics", "assignments")
            .order_by("submitted_at", "pk")
        )
        pool = reviewer_pool(call=call, today=timezone.localdate())
        groups = group_ids({application.institution_id for application in applications})
        profiles, existing = [], {}
        for application in applications:
            features = application_features(application, groups=groups)
            declined = {
                a.reviewer_id
                for a in application.assignments.all()
                if a.status not in ACTIVE_ASSIGNMENT
            }
            # A reviewer who declined an application is never proposed for it again.
            keys = features.conflict_keys | {f"declined:{reviewer}" for reviewer in declined}
            profiles.append(replace(features, conflict_keys=frozenset(keys)))
            existing[application.pk] = frozenset(
                a.reviewer_id
                for a in application.assignments.all()
                if a.status in ACTIVE_ASSIGNMENT
            )
        reviewers = [
            replace(
                member.features,
                conflict_keys=member.features.conflict_keys | {f"declined:{member.features.id}"},
            )
            for member in pool
        ]
        _progress(run, 40, _("Finding the best assignment"))
        result = assign_call(
            profiles,
            reviewers,
            reviews_per_application=call.reviews_per_application,
            capacity={member.features.id: member.room for member in pool},
            existing=existing,
        )
        _progress(run, 90, _("Preparing the preview"))
        by_id = {profile.id: profile for profile in profiles}
        reviewer_by_id = {reviewer.id: reviewer for reviewer in reviewers}
        names = dict(
            ReviewerProfile.objects.filter(pk__in=reviewer_by_id).values_list("pk", "user__email")
        )
        institutions = {a.pk: a.institution.name for a in applications}
        preview = {
            "applications": len(applications),
            "reviewers": len(reviewers),
            "assigned": result.assigned_count,
            "total_affinity": round(result.total_affinity, 3),
            "worst_application_affinity": (
                None
                if result.worst_application_affinity is None
                else round(result.worst_application_affinity, 3)
            ),
            "load_spread": result.load_spread,
            "plan": [
                {
                    "application": application_id,
                    "institution": institutions[application_id],
                    "reviewers": [
                        {
                            "id": reviewer_id,
                            "email": names.get(reviewer_id, ""),
                            "affinity": round(
                                affinity(by_id[application_id], reviewer_by_id[reviewer_id]), 3
                            ),
                        }
                        for reviewer_id in reviewer_ids
                    ],
                }
                for application_id, reviewer_ids in result.assignments.items()
                if reviewer_ids
            ],
            "load": sorted(
                ({"email": names.get(rid, ""), "load": load} for rid, load in result.load.items()),
                key=lambda row: (-row["load"], row["email"]),
            ),
            "unfilled": [
                {
                    "institution": institutions[application_id],
                    "missing": missing,
                    "reason": reason,
                }
                for application_id, (missing, reason) in result.unfilled.items()
            ],
        }
        RoutingRun.objects.filter(pk=run.pk).update(
            status=RoutingRunStatus.PREVIEW,
            preview=preview,
            progress=100,
            progress_message=_("Preview ready"),
            finished_at=timezone.now(),
        )
    except Exception as error:
        RoutingRun.objects.filter(pk=run.pk).update(
            status=RoutingRunStatus.FAILED, error=repr(error), finished_at=timezone.now()
        )
        raise
    run.refresh_from_db()
    return run


@transaction.atomic
def routing_run_apply(*, run: RoutingRun, user: User) -> tuple[list[Application], int]:
    """Create the previewed assignments in one transaction; refuse if the call changed since.
    Returns the applications, locked, and how many assignments were made; putting them in
    review is workflow.reviewers.batch_assignment_apply's.

    Only a coordinator of the call's network, or an administrator, may apply a run; each
    assignment made is audited in their name.
    """
    coordinator_required(user, run.call.network)
    run = RoutingRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RoutingRunStatus.PREVIEW:
        raise ValidationError(_("Only a computed preview can be applied."))
    if not run.preview.get("assigned"):
        raise ValidationError(_("This preview makes no new assignment: there is nothing to apply."))
    planned = [
        (row["application"], reviewer["id"], reviewer["affinity"])
        for row in run.preview.get("plan", [])
        for reviewer in row["reviewers"]
    ]
    # Applications, in order, before the call: the order routing takes them in.
    applications = {
        application.pk: application
        for application in Application.objects.select_for_update(of=("self",))
        .filter(pk__in={application_id for application_id, _r, _a in planned})
        .select_related("call")
        .order_by("pk")
    }
    call = Call.objects.select_for_update(no_key=True).get(pk=run.call_id)
    pool = reviewer_pool(call=call, today=timezone.localdate())
    room = {member.features.id: member.room for member in pool}
    taken = set(
        Assignment.objects.filter(application__in=applications).values_list(
            "application_id", "reviewer_id"
        )
    )
    for application_id, reviewer_id, _affinity in planned:
        room[reviewer_id] = room.get(reviewer_id, 0) - 1
        application = applications.get(application_id)
        if (
            application is None
            or application.status not in ROUTABLE
            or (application_id, reviewer_id) in taken
            or room[reviewer_id] < 0
        ):
            raise ValidationError(
                _("The call has changed since this preview was computed: compute it again.")
            )
    now = timezone.now()
    reason = _("Reviewers assigned by the batch assignment of %(date)s.") % {
        "date": run.created_at.strftime("%Y-%m-%d %H:%M UTC")
    }
    for application_id, reviewer_id, pair_affinity in planned:
        assignment = assignment_create(
            application_id=application_id,
            reviewer_id=reviewer_id,
            source=AssignmentSource.BATCH,
            affinity=pair_affinity,
            due_at=review_due_at(call, now),
            actor=user,
            actor_kind=AssignmentActor.COORDINATOR,
            reason=reason,
        )
        notification_queue(kind=NotificationKind.ASSIGNMENT, object_id=assignment.pk)
    for application in applications.values():
        RoutingEvent.objects.create(application=application, message=reason)
    run.status = RoutingRunStatus.APPLIED
    run.applied_at = now
    run.save(update_fields=["status", "applied_at"])
    return list(applications.values()), len(planned)
