"""The provably best assignment of a small instance, to check the batch solver against.

An integer programme solved by SCIP through OR-Tools, on every allowed pair (no sparsification),
with the affinities as given (no integer rounding). It optimises the same thing as the batch with
its penalty switched off, in two stages:

1. the largest number of reviews that can be filled at all, F;
2. the largest total affinity among assignments that fill F reviews.

It is meant for instances of a few thousand pairs; it is not fast and does not try to be.
For large ones, `dual_upper_bound` gives a certified ceiling on the best total affinity instead.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from ortools.graph.python import min_cost_flow
from ortools.linear_solver import pywraplp

from .instance import (
    ApplicationId,
    Instance,
    Result,
    ReviewerId,
    batch_shortfalls,
    summarise,
)


def solve_exact(instance: Instance) -> Result:
    """Solve the instance to proven optimality: most reviews filled, then most total affinity."""
    solver = pywraplp.Solver.CreateSolver("SCIP")
    if solver is None:  # pragma: no cover - the OR-Tools wheel ships SCIP
        raise RuntimeError("SCIP is not available in this OR-Tools build")
    # A single thread: SCIP then follows one deterministic path, so reruns agree.
    solver.SetNumThreads(1)
    params = pywraplp.MPSolverParameters()
    # OR-Tools' default stops within 0.01 % of optimal; this solver must be exact.
    params.SetDoubleParam(params.RELATIVE_MIP_GAP, 0.0)

    pairs: dict[tuple[ApplicationId, ReviewerId], pywraplp.Variable] = {}
    by_reviewer: dict[ReviewerId, list[pywraplp.Variable]] = {}
    for application in sorted(instance.applications):
        needed = instance.needed(application)
        if not needed:
            continue
        row = []
        for reviewer in sorted(instance.candidates(application)):
            if instance.capacity[reviewer] == 0:
                continue
            x = solver.BoolVar(f"x_{len(pairs)}")
            pairs[application, reviewer] = x
            row.append(x)
            by_reviewer.setdefault(reviewer, []).append(x)
        if row:
            solver.Add(solver.Sum(row) <= needed)
    for reviewer, column in by_reviewer.items():
        solver.Add(solver.Sum(column) <= instance.capacity[reviewer])

    everything = solver.Sum(list(pairs.values()))
    solver.Maximize(everything)
    _check(solver.Solve(params))
    filled = round(solver.Objective().Value())

    # Stage 2: keep the count at its maximum (>= F - 0.5 is = F for integers) and maximise
    # the affinity.
    solver.Add(everything >= filled - 0.5)
    solver.Maximize(solver.Sum([instance.affinity[a][r] * x for (a, r), x in pairs.items()]))
    _check(solver.Solve(params))

    assignments: dict[ApplicationId, list[ReviewerId]] = {a: [] for a in instance.applications}
    for (application, reviewer), x in pairs.items():
        if x.solution_value() > 0.5:
            assignments[application].append(reviewer)
    unfilled = batch_shortfalls(instance, assignments)
    return summarise(instance, assignments, unfilled, balance=0.0)


def _check(status: int) -> None:
    if status != pywraplp.Solver.OPTIMAL:
        raise RuntimeError(f"the integer programme was not solved to optimality ({status})")


def dual_upper_bound(
    instance: Instance,
    *,
    dropped_ceiling: Mapping[ApplicationId, float] | None = None,
    scale: int = 10_000,
) -> float:
    """A certified upper bound on the best total affinity, for instances too big to solve exactly.

    Any prices v >= 0 on reviewers give, by Lagrangian duality of the linear relaxation,

        best total affinity <= sum_r capacity_r * v_r
                               + sum_a (sum of the `needed` largest of (affinity_ar - v_r)+)

    The prices used are the optimal duals of the relaxation (node potentials of an optimal
    min-cost flow, by Bellman-Ford on its residual network), so the bound is tight up to the
    1/scale rounding. With `dropped_ceiling` (from `Candidates`) every pair sparsification left
    out counts as if it had its ceiling's affinity, so the bound holds for the full problem, not
    only for the candidate lists. The bound ignores the batch's "fill the most reviews first"
    rule, which can only lower the optimum, so it bounds that optimum too.
    """
    ceiling_of = dropped_ceiling or {}
    applications = sorted(a for a in instance.applications if instance.needed(a))
    reviewers = sorted(instance.capacity)
    index = {r: i for i, r in enumerate(reviewers)}
    app_of, rev_of, value = [], [], []
    for i, application in enumerate(applications):
        for reviewer, affinity in instance.candidates(application).items():
            app_of.append(i)
            rev_of.append(index[reviewer])
            value.append(affinity)
    app_idx = np.array(app_of, dtype=np.int64)
    rev_idx = np.array(rev_of, dtype=np.int64)
    affinity = np.array(value, dtype=np.float64)
    need = np.array([instance.needed(a) for a in applications], dtype=np.int64)
    ceiling = np.array([ceiling_of.get(a, 0.0) for a in applications], dtype=np.float64)
    capacity = np.array([instance.capacity[r] for r in reviewers], dtype=np.int64)
    prices = _optimal_prices(app_idx, rev_idx, affinity, need, ceiling, capacity, scale)
    return _lagrangian_bound(app_idx, rev_idx, affinity, need, ceiling, capacity, prices)


def _optimal_prices(app_idx, rev_idx, affinity, need, ceiling, capacity, scale) -> np.ndarray:
    """Reviewer prices: optimal duals of the relaxation, from an optimal flow's potentials."""
    n_apps, n_revs = len(need), len(capacity)
    source, sink = 0, 1 + n_apps + n_revs
    apps = 1 + np.arange(n_apps)
    revs = 1 + n_apps + np.arange(n_revs)
    total = int(need.sum())
    # Pure affinity (negative costs), a phantom arc per application worth its ceiling (the pairs
    # left out), and a free source-to-sink bypass so no review has to be filled at a loss.
    tails = np.concatenate([1 + app_idx, np.zeros(n_apps, np.int64), revs, apps, [source]])
    heads = np.concatenate(
        [revs[rev_idx], apps, np.full(n_revs, sink), np.full(n_apps, sink), [sink]]
    )
    caps = np.concatenate([np.ones(len(app_idx), np.int64), need, capacity, need, [total]])
    costs = -np.rint(
        np.concatenate([affinity, np.zeros(n_apps), np.zeros(n_revs), ceiling, [0.0]]) * scale
    ).astype(np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps, costs
    )
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("the relaxation's min-cost flow was not solved")
    used = flow.flows(np.arange(len(tails), dtype=np.int32))
    # Residual network: forward where capacity is left, backward where flow runs. Being optimal,
    # it has no negative cycle, so shortest distances exist and are feasible potentials.
    forward, backward = used < caps, used > 0
    r_tail = np.concatenate([tails[forward], heads[backward]])
    r_head = np.concatenate([heads[forward], tails[backward]])
    r_cost = np.concatenate([costs[forward], -costs[backward]])
    order = np.argsort(r_head, kind="stable")
    r_tail, r_head, r_cost = r_tail[order], r_head[order], r_cost[order]
    targets, starts = np.unique(r_head, return_index=True)
    distance = np.zeros(sink + 1, dtype=np.int64)  # a virtual root reaches every node at 0
    for _ in range(sink + 2):
        reached = np.minimum.reduceat(distance[r_tail] + r_cost, starts)
        improved = reached < distance[targets]
        if not improved.any():
            break
        distance[targets[improved]] = reached[improved]
    else:  # pragma: no cover - impossible for an optimal flow
        raise RuntimeError("negative cycle in an optimal flow's residual network")
    # A full reviewer's price is how much cheaper the sink is to reach than the reviewer.
    return np.maximum(0, distance[sink] - distance[revs]) / scale


def _lagrangian_bound(app_idx, rev_idx, affinity, need, ceiling, capacity, prices) -> float:
    reduced = np.maximum(affinity - prices[rev_idx], 0.0)
    order = np.lexsort((-reduced, app_idx))
    starts = np.searchsorted(app_idx, np.arange(len(need)))
    rank = np.arange(order.size) - starts[app_idx[order]]
    picked = order[(rank < need[app_idx[order]]) & (reduced[order] > ceiling[app_idx[order]])]
    # Slots not taken by a candidate above the ceiling are worth at most the ceiling.
    per_app = np.bincount(app_idx[picked], weights=reduced[picked], minlength=len(need))
    taken = np.bincount(app_idx[picked], minlength=len(need))
    return float(capacity @ prices + per_app.sum() + ((need - taken) * ceiling).sum())
