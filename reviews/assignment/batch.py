"""Assign a whole call at once: a min-cost flow over applications and reviewers (OR-Tools).

`assign_batch` solves an Instance; `assign_call` starts from the profiles of a large call,
computes candidate lists (see affinity.py) and repairs them where they are too short.

The network, with integer costs because the solver needs them:

    source --(needed reviews, cost 0)--> application
    application --(1, round((1 - affinity) * scale))--> reviewer   one arc per allowed pair
    reviewer --(1, penalty_j)--> sink                               one per review j it can take

with penalty_j = round(balance * scale * (existing + j) / total capacity) for the j-th new
review (j = 0, 1, ...). The penalty grows with the reviewer's load, so the cost is convex and the
solver spreads reviews evenly (relative to capacity) where affinities are close.

`SolveMaxFlowWithMinCost` first fills as many reviews as can be filled at all, then, among those
assignments, minimises cost, which is maximising total affinity minus the load penalty.

The penalty trades affinity for balance, and that trade is bounded: the result keeps at least
`min_affinity_share` (99.5 %) of the best total affinity. If the penalised solution falls short,
the balance weight is reduced and, failing that, the pure-affinity solution is returned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from ortools.graph.python import min_cost_flow

from .affinity import DEFAULT_WEIGHTS, AffinityWeights, Candidates, top_candidates
from .instance import (
    ApplicationId,
    ApplicationProfile,
    Instance,
    Result,
    ReviewerId,
    ReviewerProfile,
    batch_shortfalls,
    summarise,
)

BATCH_BALANCE = 0.1
"""Weight of the load penalty: a reviewer's last review costs 0.1 affinity more than the first."""

DEFAULT_SCALE = 10_000
"""Affinity resolution of the integer costs: totals are exact to within 1/scale per review."""

DEFAULT_MIN_AFFINITY_SHARE = 0.995


Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]
"""Candidate pairs as parallel arrays: application ids, reviewer ids, affinities."""


def _pairs_of(instance: Instance) -> Pairs:
    rows = [(a, r, s) for a in instance.applications for r, s in instance.candidates(a).items()]
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    apps, revs, values = zip(*rows, strict=True)
    return np.array(apps), np.array(revs), np.array(values, dtype=np.float64)


class _Network:
    """The flow network of an instance, built once and solved for several balance weights.

    `pairs` defaults to the instance's candidates; `assign_call` passes its arrays instead, so
    that 20,000 x 40 pairs never go through Python dictionaries on the way to the solver.
    """

    def __init__(self, instance: Instance, scale: int, pairs: Pairs | None = None) -> None:
        self.instance = instance
        self.scale = scale
        # Sorted ids, so the same instance listed in another order gives the same result.
        self.applications: list[ApplicationId] = sorted(instance.applications)
        self.reviewers: list[ReviewerId] = sorted(instance.capacity)
        n_apps, n_revs = len(self.applications), len(self.reviewers)
        self.source, self.sink = 0, 1 + n_apps + n_revs
        self.demand = np.array([instance.needed(a) for a in self.applications], dtype=np.int64)

        app_ids, rev_ids, values = _pairs_of(instance) if pairs is None else pairs
        self.app_ids, self.rev_ids = np.array(self.applications), np.array(self.reviewers)
        app_pos = np.searchsorted(self.app_ids, app_ids)
        rev_pos = np.searchsorted(self.rev_ids, rev_ids)
        keep = self.demand[app_pos] > 0 if app_ids.size else np.zeros(0, dtype=bool)
        if any(instance.existing.values()):  # never offer an existing assignment again
            index = {r: i for i, r in enumerate(self.reviewers)}
            taken = [
                i * n_revs + index[r]
                for i, a in enumerate(self.applications)
                for r in instance.existing.get(a, ())
                if r in index
            ]
            keep &= ~np.isin(app_pos * n_revs + rev_pos, taken)
        order = np.lexsort((rev_pos[keep], app_pos[keep]))
        self.pair_app = app_pos[keep][order]
        self.pair_rev = rev_pos[keep][order]
        self.pair_aff = values[keep][order]

        self.capacity = np.array([instance.capacity[r] for r in self.reviewers], dtype=np.int64)
        existing = instance.existing_load()
        self.existing = np.array([existing[r] for r in self.reviewers], dtype=np.int64)
        # A reviewer can never take more reviews than they have allowed pairs: no need for more
        # unit arcs than that (keeps the network small when capacities are generous).
        degree = np.bincount(self.pair_rev, minlength=n_revs)
        self.usable = np.minimum(self.capacity, degree)
        self.total_capacity = self.existing + self.capacity

    def solve(self, balance: float) -> np.ndarray:
        """Solve for one balance weight; return a boolean mask of the pairs assigned."""
        n_apps, n_pairs = len(self.applications), len(self.pair_app)
        # One unit arc per review a reviewer can take, each costlier than the one before.
        owner = np.repeat(np.arange(len(self.reviewers)), self.usable)
        j = np.arange(owner.size) - np.repeat(np.cumsum(self.usable) - self.usable, self.usable)
        penalty = balance * (self.existing[owner] + j) / self.total_capacity[owner]
        # Pair arcs first, so that their arc indices are 0 .. n_pairs - 1.
        tails = [1 + self.pair_app, np.full(n_apps, self.source), 1 + n_apps + owner]
        heads = [1 + n_apps + self.pair_rev, 1 + np.arange(n_apps), np.full(owner.size, self.sink)]
        capacities = [np.ones(n_pairs, np.int64), self.demand, np.ones(owner.size, np.int64)]
        costs = np.concatenate([1.0 - self.pair_aff, np.zeros(n_apps), penalty]) * self.scale
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(
            np.concatenate(tails).astype(np.int32),
            np.concatenate(heads).astype(np.int32),
            np.concatenate(capacities),
            np.rint(costs).astype(np.int64),
        )
        total_demand = int(self.demand.sum())
        flow.set_node_supply(self.source, total_demand)
        flow.set_node_supply(self.sink, -total_demand)
        # Not every demand can always be met: this variant sends the maximum flow the network
        # allows, at minimum cost, instead of failing as plain solve() would.
        status = flow.solve_max_flow_with_min_cost()
        if status != flow.OPTIMAL:
            raise RuntimeError(f"min-cost flow failed with status {status}")
        if n_pairs == 0:
            return np.zeros(0, dtype=bool)
        return flow.flows(np.arange(n_pairs, dtype=np.int32)) > 0

    def total_affinity(self, chosen: np.ndarray) -> float:
        return float(self.pair_aff[chosen].sum())

    def to_result(self, chosen: np.ndarray, balance: float) -> Result:
        instance = self.instance
        assignments: dict[ApplicationId, list[ReviewerId]] = {a: [] for a in self.applications}
        for i, r in zip(
            self.pair_app[chosen].tolist(), self.pair_rev[chosen].tolist(), strict=True
        ):
            assignments[self.applications[i]].append(self.reviewers[r])
        unfilled = batch_shortfalls(instance, assignments)
        return summarise(instance, assignments, unfilled, balance=balance)


def assign_batch(
    instance: Instance,
    *,
    balance: float = BATCH_BALANCE,
    min_affinity_share: float = DEFAULT_MIN_AFFINITY_SHARE,
    scale: int = DEFAULT_SCALE,
) -> Result:
    """Assign every application of the instance at once, filling as many reviews as possible.

    Among the assignments that fill the most reviews, it maximises total affinity minus the
    load-balancing penalty (`balance` = 0 switches the penalty off). The result's total affinity
    is never below `min_affinity_share` of the best total affinity (up to the 1/scale rounding
    of the costs). Applications that cannot be filled are listed with the reason.
    """
    return _balanced(_Network(instance, scale), balance, min_affinity_share, pure=None)


def _balanced(network: _Network, balance: float, share: float, pure: np.ndarray | None) -> Result:
    """Solve with the penalty, easing it until the affinity floor holds; `pure` is the
    penalty-free solution when already known."""
    if balance <= 0:
        return network.to_result(network.solve(0.0) if pure is None else pure, 0.0)
    chosen = network.solve(balance)
    achieved = network.total_affinity(chosen)
    # The capacity-blind bound is cheap and usually close: when the penalised solution is within
    # the share of it, it is within the share of the optimum too, and one solve was enough.
    if pure is None and achieved >= share * network.instance.affinity_upper_bound():
        return network.to_result(chosen, balance)
    if pure is None:
        pure = network.solve(0.0)
    best = network.total_affinity(pure)
    weight = balance
    for _ in range(3):
        if achieved >= share * best:
            return network.to_result(chosen, weight)
        weight /= 4
        chosen = network.solve(weight)
        achieved = network.total_affinity(chosen)
    if achieved >= share * best:
        return network.to_result(chosen, weight)
    return network.to_result(pure, 0.0)


REPAIR_ROUNDS = 3
REPAIR_PER_APPLICATION = 10
SHORT_PAIR_BUDGET = 2_000_000


def assign_call(
    applications: Sequence[ApplicationProfile],
    reviewers: Sequence[ReviewerProfile],
    *,
    reviews_per_application: int,
    capacity: Mapping[ReviewerId, int],
    existing: Mapping[ApplicationId, frozenset[ReviewerId]] | None = None,
    per_application: int = 40,
    balance: float = BATCH_BALANCE,
    min_affinity_share: float = DEFAULT_MIN_AFFINITY_SHARE,
    weights: AffinityWeights = DEFAULT_WEIGHTS,
    scale: int = DEFAULT_SCALE,
) -> Result:
    """Assign a whole call from the profiles: affinity, candidate lists, then the batch.

    Only the best `per_application` reviewers of each application go to the solver, which keeps
    20,000 x 3,000 within seconds. Lists cut that way can hide the reviewers who still have
    time (demand piling up on one network, say). So after the first solve, applications whose
    list holds fewer reviewers with spare capacity than they need are offered their best
    REPAIR_PER_APPLICATION among those; and while some application is short, every application
    it could take a reviewer from (by alternating paths) is offered everyone with capacity, up
    to SHORT_PAIR_BUDGET pairs, and the batch is solved again (at most REPAIR_ROUNDS times). If
    it stops because those applications already list everyone they may have, no assignment of
    the full problem fills more reviews. The result is that of `assign_batch` on the lists.
    """
    existing = existing or {}
    if any(r.id not in capacity for r in reviewers):
        raise ValueError("every reviewer needs a capacity (0 for none)")
    candidates = top_candidates(
        applications,
        reviewers,
        per_application=per_application,
        weights=weights,
    )
    pairs: Pairs = (candidates.application_ids, candidates.reviewer_ids, candidates.affinities)
    order = tuple(a.id for a in applications)
    # The solver rounds need no affinity dictionaries: the arrays go straight to the network.
    skeleton = Instance(reviews_per_application, order, capacity, {}, existing)
    by_id = {a.id: a for a in applications}
    left_out = candidates.dropped_ceiling  # applications whose list is not every reviewer
    for round_ in range(REPAIR_ROUNDS + 1):
        network = _Network(skeleton, scale, pairs)
        # Which reviews can be filled does not depend on the costs: the penalty-free solution
        # says who is stuck, and is the yardstick for the affinity floor afterwards.
        pure = network.solve(0.0)
        got = np.bincount(network.pair_app[pure], minlength=len(order))
        used = np.bincount(network.pair_rev[pure], minlength=len(network.reviewers))
        spare = network.capacity > used
        in_list = np.bincount(network.pair_app[spare[network.pair_rev]], minlength=len(order))
        stuck = [a for a in network.app_ids[in_list < network.demand].tolist() if a in left_out]
        short = got < network.demand
        # After the first round only a shortfall is worth another solve.
        if round_ == REPAIR_ROUNDS or (round_ and not short.any()):
            break
        extra = []
        if stuck and spare.any() and not round_:
            spare_ids = set(network.rev_ids[spare].tolist())
            pool = [r for r in reviewers if r.id in spare_ids]
            stuck_profiles = [by_id[a] for a in stuck]
            extra.append(
                top_candidates(stuck_profiles, pool, per_application=REPAIR_PER_APPLICATION)
            )
        reachable = network.app_ids[_reachable(network, pure, short)].tolist()
        blocked = [a for a in reachable if a in left_out]
        if blocked:
            # Any way to fill more starts from a short application, runs along listed pairs and
            # leaves the lists at one of these applications: offer them everyone with capacity.
            pool = [r for r in reviewers if capacity.get(r.id, 0) > 0]
            per = max(REPAIR_PER_APPLICATION, SHORT_PAIR_BUDGET // len(blocked))
            extra.append(top_candidates([by_id[a] for a in blocked], pool, per_application=per))
        grown = _merge(network, pairs, extra)
        if grown is None:
            break
        pairs = grown
    mapping = Candidates(*pairs).as_mapping()
    network.instance = Instance(reviews_per_application, order, capacity, mapping, existing)
    return _balanced(network, balance, min_affinity_share, pure=pure)


def _reachable(network: _Network, chosen: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Applications reachable from `start` by alternating paths (a listed pair not chosen to a
    reviewer, then a chosen pair back to another application): whoever could make room."""
    reached = start.copy()
    while True:
        reviewers = np.zeros(len(network.reviewers), dtype=bool)
        reviewers[network.pair_rev[~chosen & reached[network.pair_app]]] = True
        more = reached.copy()
        more[network.pair_app[chosen & reviewers[network.pair_rev]]] = True
        if (more == reached).all():
            return reached
        reached = more


def _merge(network: _Network, pairs: Pairs, extra: list[Candidates]) -> Pairs | None:
    """The pairs with the extra candidates added, or None if there is nothing new."""
    merged = [
        np.concatenate([pairs[i], *(getattr(e, name) for e in extra)])
        for i, name in enumerate(("application_ids", "reviewer_ids", "affinities"))
    ]
    # np.unique drops pairs listed twice (same affinity either way) and sorts them.
    key = np.searchsorted(network.app_ids, merged[0]) * len(network.reviewers)
    _, first = np.unique(key + np.searchsorted(network.rev_ids, merged[1]), return_index=True)
    if first.size == pairs[0].size:
        return None
    return merged[0][first], merged[1][first], merged[2][first]
