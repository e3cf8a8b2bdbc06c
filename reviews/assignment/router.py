"""One application at a time: pick its reviewers when it is submitted or when a reviewer declines.

The router is greedy. For one application it ranks the reviewers it may still ask by

    score = affinity - balance * load / total capacity

(load and total capacity include the reviewer's existing reviews), so that among equally apt
reviewers the less busy ones are asked first, and takes the best ones, ties broken by the lower
reviewer id. It never goes above a reviewer's capacity and never asks a reviewer twice.

What it guarantees over a sequence of applications is weaker than the batch: each application
gets min(needed, reviewers it may ask who still have capacity *at its turn*). An earlier
application may take the only reviewer a later one could have had, so a feasible instance can end
with unfilled applications; but the result is a maximal assignment (no pair can be added), which
fills at least half as many reviews as the best possible one.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from .instance import (
    ApplicationId,
    Instance,
    Result,
    ReviewerId,
    explain_shortfall,
    summarise,
)

ROUTER_BALANCE = 0.5
"""Weight of the load term: a full reviewer scores 0.5 lower than an idle one of equal affinity.

Heavier than the batch's: the router cannot see the applications still to come, and spreading the
load keeps capacity for them. On the benchmark's calls, 0.5 gives both more total affinity and
far fewer unfilled reviews than 0.1 (the batch, which sees everything, needs no such push).
"""


@dataclass(frozen=True)
class Route:
    """The reviewers chosen for one application, and why any slot stays empty."""

    reviewers: tuple[ReviewerId, ...]
    missing: int
    reason: str | None


def route_application(
    *,
    candidates: Mapping[ReviewerId, float],
    needed: int,
    capacity_left: Mapping[ReviewerId, int],
    load: Mapping[ReviewerId, int],
    already_assigned: Collection[ReviewerId] = (),
    declined: Collection[ReviewerId] = (),
    balance: float = ROUTER_BALANCE,
) -> Route:
    """Choose up to `needed` reviewers for one application.

    `candidates` maps each reviewer without a conflict of interest to their affinity;
    `capacity_left` and `load` are the reviewers' remaining capacity and current number of
    reviews. Reviewers in `already_assigned` or `declined` are never chosen (a decline re-routes
    by calling this again with the decliner in `declined`). Reviewers unknown to
    `capacity_left` count as having no capacity.
    """
    if needed <= 0:
        return Route(reviewers=(), missing=0, reason=None)
    excluded_declined = 0
    eligible: list[tuple[float, ReviewerId]] = []
    without_capacity = 0
    for reviewer, affinity in candidates.items():
        if reviewer in already_assigned:
            continue
        if reviewer in declined:
            excluded_declined += 1
            continue
        left = capacity_left.get(reviewer, 0)
        if left <= 0:
            without_capacity += 1
            continue
        current = load.get(reviewer, 0)
        utilisation = current / (current + left)
        eligible.append((affinity - balance * utilisation, reviewer))
    # Sorting on (-score, id) makes ties go to the lower id, so a rerun picks the same people.
    eligible.sort(key=lambda item: (-item[0], item[1]))
    chosen = tuple(reviewer for _, reviewer in eligible[:needed])
    missing = needed - len(chosen)
    reason = None
    if missing:
        reason = explain_shortfall(
            needed=needed,
            got=len(chosen),
            eligible=len(eligible) + without_capacity,
            without_capacity=without_capacity,
            declined=excluded_declined,
        )
    return Route(reviewers=chosen, missing=missing, reason=reason)


def route_in_order(instance: Instance, *, balance: float = ROUTER_BALANCE) -> Result:
    """Route every application of the instance one after the other, in submission order.

    This is what routing on submission does over a whole call; used by the tests and the
    benchmark to compare the router with the batch.
    """
    capacity_left = dict(instance.capacity)
    load = instance.existing_load()
    assignments: dict[ApplicationId, tuple[ReviewerId, ...]] = {}
    unfilled: dict[ApplicationId, tuple[int, str]] = {}
    for application in instance.applications:
        route = route_application(
            candidates=instance.affinity.get(application, {}),
            needed=instance.needed(application),
            capacity_left=capacity_left,
            load=load,
            already_assigned=instance.existing.get(application, frozenset()),
            balance=balance,
        )
        assignments[application] = route.reviewers
        for reviewer in route.reviewers:
            capacity_left[reviewer] -= 1
            load[reviewer] += 1
        if route.missing:
            unfilled[application] = (route.missing, route.reason or "")
    return summarise(instance, assignments, unfilled, balance=balance)
