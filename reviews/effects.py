"""The outbox effect the reviews app performs: queueing the computation of a batch assignment."""

from outbox.registry import Effect, effect_register
from reviews.services.batch import ROUTING_RUN_EFFECT
from reviews.tasks import routing_run_compute_task


def register() -> None:
    effect_register(
        ROUTING_RUN_EFFECT,
        Effect(perform=lambda payload: routing_run_compute_task.delay(run_id=payload["run_id"])),
    )
