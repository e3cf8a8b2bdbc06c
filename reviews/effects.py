"""The outbox effects the reviews app performs: routing an application to its reviewers, and
queueing the computation of a batch assignment."""

from applications.services.submission import ROUTE_EFFECT
from outbox.registry import Effect, Later, effect_register
from reviews.services.batch import ROUTING_RUN_EFFECT
from reviews.services.routing import application_route
from reviews.tasks import routing_run_compute_task


def _route(payload: dict) -> Later | None:
    outcome = application_route(application_id=payload["application_id"])
    if outcome is not None and outcome.missing:
        # The assignments made are kept; the rest is tried again as reviewers free up.
        return Later(reason=outcome.reason or "")
    return None


def register() -> None:
    effect_register(ROUTE_EFFECT, Effect(perform=_route))
    effect_register(
        ROUTING_RUN_EFFECT,
        Effect(perform=lambda payload: routing_run_compute_task.delay(run_id=payload["run_id"])),
    )
