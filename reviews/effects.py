"""The outbox effects the reviews app performs: routing an application to its reviewers."""

from applications.services.submission import ROUTE_EFFECT
from outbox.registry import Effect, Later, effect_register
from reviews.services.routing import application_route


def _route(payload: dict) -> Later | None:
    outcome = application_route(application_id=payload["application_id"])
    if outcome is not None and outcome.missing:
        # The assignments made are kept; the rest is tried again as reviewers free up.
        return Later(reason=outcome.reason or "")
    return None


def register() -> None:
    effect_register(ROUTE_EFFECT, Effect(perform=_route))
