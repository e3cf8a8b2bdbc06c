"""Routing an application: the automatic eligibility check, its reviewer places filled, and the
application in review. Performed by the outbox (`applications.route`) after each change that
asks for it, and tried again with a growing wait while places stay open: each such item routes
every application of its call then waiting, in one pass (`call_route_waiting`), so a deadline
rush of submissions is routed in a few passes rather than one lock-taking task at a time."""

import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, When
from django.utils.translation import gettext as _

from applications.enums import Actor, ApplicationStatus
from applications.models import Application
from applications.services.submission import ROUTE_EFFECT, application_routing_mark
from applications.services.transitions import application_transition
from calls.models import Call
from calls.services import call_eligibility
from endorsements.services.endorsing import endorsement_open, endorsement_refusals
from outbox.registry import Effect, Later, effect_register
from reviews.pool import application_features, group_ids
from reviews.services.pausing import assignments_resume
from reviews.services.routing import (
    ROUTABLE,
    CallPool,
    RoutingOutcome,
    reviewers_fill,
    routing_event_record,
)
from workflow.reviewers import applications_into_review

logger = logging.getLogger(__name__)

# A pass routes at most PASS_LIMIT applications, for at most half the outbox's lease (the others
# have outbox items of their own), PASS_CHUNK to a transaction: short enough not to hold up the
# audit chain.
PASS_LIMIT = 500
PASS_CHUNK = 20


@transaction.atomic
def application_route(*, application_id: int) -> RoutingOutcome | None:
    """Route one application: check a submitted application's eligibility, resume the
    assignments paused when it was reopened, then fill its missing reviewer places.

    Returns None when the application is gone or not (or no longer) to be routed. Routing of
    one call is serialised by the call's row lock, so two applications routed at once never
    both take a reviewer's last place. The outbox routes a call's waiting applications
    together: `call_route_waiting`.
    """
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "institution")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return None
    call = Call.objects.select_for_update(no_key=True).get(pk=application.call_id)
    return _route_locked(application, call, CallPool.of(call), groups=None)


def _route_locked(
    application: Application, call: Call, pool: CallPool, *, groups: dict[int, int] | None
) -> RoutingOutcome | None:
    """The routing of one application whose row and call row the caller has locked; `groups`
    (reviews.pool.group_ids) of its institution when read for many at once."""
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
    # A paused place whose reviewer is not asked again is given back in the database; the pool
    # in memory still counts it until the next chunk reloads it (never above capacity).
    resumed = assignments_resume(application=application, call=call)
    features = application_features(application, groups=groups)
    outcome = reviewers_fill(application=application, call=call, pool=pool, features=features)
    if outcome.assigned or resumed:
        applications_into_review(
            [application], actor=None, actor_kind=Actor.SYSTEM, reason=_("Reviewers assigned.")
        )
    # Left marked as awaiting routing until every place is filled.
    application_routing_mark(application=application, awaiting=bool(outcome.missing))
    return outcome


@dataclass
class CallRouting:
    """What one pass over a call's waiting applications did, by application id."""

    outcomes: dict[int, RoutingOutcome | None] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)
    chunks: int = 0

    @property
    def seen(self) -> set[int]:
        return self.outcomes.keys() | self.failed.keys()


def call_route_waiting(
    *, call_id: int, also: int | None = None, limit: int = PASS_LIMIT
) -> CallRouting:
    """Route every application of the call awaiting routing, oldest first, in one pass: the
    one-at-a-time router in submission order, the call's pool read once per chunk. A pass
    stops after `limit` applications or half OUTBOX_LEASE_SECONDS; the rest are left to the
    next pass (each waiting application has its own routing item).

    Each chunk of up to PASS_CHUNK applications is one transaction that locks its applications
    (skipping those another pass or change holds: they are that one's, or routed later by
    their own outbox item), then the call's row, then routes them one after the other. Chunks
    commit as they go, because an audited change holds the audit chain's lock until its
    transaction ends: one long transaction would hold up every other change in the portal.
    One application's failure is undone alone (a savepoint): it stays awaiting routing and its
    own outbox item tries it again; the others are kept. `also` (the asking item's application)
    comes first, and is routed too if it is submitted but not marked as awaiting. Idempotent:
    an application routed in full is no longer waiting, and routing it again assigns nobody.
    """
    routing = CallRouting()
    # Within half the outbox's lease, so that no other relay takes this item meanwhile.
    stop_at = time.monotonic() + settings.OUTBOX_LEASE_SECONDS / 2
    while len(routing.seen) < limit and time.monotonic() < stop_at:
        with transaction.atomic():
            waiting = Q(awaiting_routing_since__isnull=False)
            if also is not None:
                waiting |= Q(pk=also, status=ApplicationStatus.SUBMITTED)
            chunk = list(
                Application.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("call", "institution")
                .prefetch_related("topics")
                .filter(waiting, call_id=call_id)
                .exclude(pk__in=routing.seen)
                # The asking item's own application first, then the oldest waiting.
                .alias(asked=Case(When(pk=also or 0, then=0), default=1))
                .order_by("asked", F("awaiting_routing_since").asc(nulls_first=True), "pk")[
                    : min(PASS_CHUNK, limit - len(routing.seen))
                ]
            )
            if not chunk:
                break
            # NO KEY UPDATE: routing passes wait for each other, but a new application or
            # audit entry that only references the call (a KEY SHARE check) does not wait for
            # the pass, which would deadlock with the audit chain's lock it holds.
            call = Call.objects.select_for_update(no_key=True).get(pk=call_id)
            routing.chunks += 1
            pool = CallPool.of(call)
            groups = group_ids({application.institution_id for application in chunk})
            for application in chunk:
                try:
                    with transaction.atomic():
                        outcome = _route_locked(application, call, pool, groups=groups)
                    routing.outcomes[application.pk] = outcome
                except Exception as error:  # undone alone; its own outbox item tries again
                    logger.warning("routing: application %s failed: %r", application.pk, error)
                    routing.failed[application.pk] = f"{type(error).__name__}: {error}"
                    pool = CallPool.of(call)  # places it took in memory were undone
    return routing


def _route(payload: dict) -> Later | None:
    """The outbox's routing of one application, done by a pass over its call's waiting ones."""
    application_id = payload["application_id"]
    application = (
        Application.objects.filter(pk=application_id)
        .values("call_id", "status", "awaiting_routing_since")
        .first()
    )
    if application is None or (
        application["awaiting_routing_since"] is None
        and application["status"] != ApplicationStatus.SUBMITTED
    ):
        return None  # gone, or routed already (by a pass another application asked for)
    routing = call_route_waiting(call_id=application["call_id"], also=application_id)
    if application_id in routing.failed:
        return Later(reason=routing.failed[application_id])
    if application_id not in routing.outcomes:
        # Held by another pass or change, or beyond this pass's limit: tried again later (a
        # no-op then if the other pass routed it).
        return Later(reason="The application was being changed; routing it again later.")
    outcome = routing.outcomes[application_id]
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
    # Performed with no transaction open: the pass commits its chunks itself (harmless to
    # perform again after a crash before the item is marked done).
    effect_register(ROUTE_EFFECT, Effect(perform=_route, external=True, gave_up=_gave_up))
