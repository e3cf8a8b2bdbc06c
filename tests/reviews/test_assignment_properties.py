"""Properties of the assignment core over random small pools (hypothesis).

Feasibility is checked independently of OR-Tools, with a plain augmenting-path max-flow written
here, and optimality against the integer programme of `solve_exact`.
"""

from collections import Counter, deque

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviews.assignment import (
    DEFAULT_SCALE,
    ApplicationProfile,
    Instance,
    Result,
    ReviewerProfile,
    affinity,
    assign_batch,
    assign_call,
    dual_upper_bound,
    has_conflict,
    route_in_order,
    solve_exact,
    top_candidates,
)

# The project's autouse fixtures (cache, media folder) are function-scoped but untouched here.
fast = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def pools(draw) -> Instance:
    """≤ 30 applications, ≤ 15 reviewers, k in 1..4, capacities from 0, random conflicts and
    existing assignments; affinities either continuous or from a few values (ties)."""
    n_apps = draw(st.integers(0, 30))
    n_revs = draw(st.integers(0, 15))
    k = draw(st.integers(1, 4))
    conflict_rate = draw(st.sampled_from([0.0, 0.2, 0.5, 0.8, 1.0]))
    existing_rate = draw(st.sampled_from([0.0, 0.05, 0.2]))
    max_capacity = draw(st.integers(0, 8))
    tied = draw(st.booleans())
    # Per-pair draws through hypothesis' own seeded Random: hundreds of pairs per pool would make
    # element-by-element strategies too slow for a 100-example run.
    rnd = draw(st.randoms(use_true_random=False))
    applications = tuple(range(1, n_apps + 1))
    reviewers = list(range(101, 101 + n_revs))
    capacity = {r: rnd.randint(0, max_capacity) for r in reviewers}
    affinity_map: dict[int, dict[int, float]] = {a: {} for a in applications}
    existing: dict[int, frozenset[int]] = {}
    for application in applications:
        for reviewer in reviewers:
            if rnd.random() >= conflict_rate:
                value = rnd.choice([0.0, 0.5, 1.0]) if tied else rnd.random()
                affinity_map[application][reviewer] = value
            if rnd.random() < existing_rate:
                existing[application] = existing.get(application, frozenset()) | {reviewer}
    return Instance(k, applications, capacity, affinity_map, existing)


def max_fillable(instance: Instance) -> int:
    """Most reviews that can be filled at all: max-flow by shortest augmenting paths."""
    source, sink = ("source",), ("sink",)
    residual: dict = {}

    def arc(u, v, c):
        residual.setdefault(u, {})[v] = residual.get(u, {}).get(v, 0) + c
        residual.setdefault(v, {}).setdefault(u, 0)

    for application in instance.applications:
        arc(source, ("a", application), instance.needed(application))
        for reviewer in instance.candidates(application):
            arc(("a", application), ("r", reviewer), 1)
    for reviewer, capacity in instance.capacity.items():
        arc(("r", reviewer), sink, capacity)
    flow = 0
    while True:
        parent = {source: None}
        queue = deque([source])
        while queue and sink not in parent:
            u = queue.popleft()
            for v, c in residual.get(u, {}).items():
                if c > 0 and v not in parent:
                    parent[v] = u
                    queue.append(v)
        if sink not in parent:
            return flow
        v = sink
        while parent[v] is not None:
            u = parent[v]
            residual[u][v] -= 1
            residual[v][u] += 1
            v = u
        flow += 1


def check_valid(instance: Instance, result: Result) -> None:
    """No conflict, no repeat, never over capacity, and every shortfall explained."""
    new_load: Counter = Counter()
    for application, reviewers in result.assignments.items():
        allowed = instance.affinity.get(application, {})
        existing = instance.existing.get(application, frozenset())
        assert len(set(reviewers)) == len(reviewers), "a reviewer twice on one application"
        for reviewer in reviewers:
            assert reviewer in allowed, "a conflicted pair was assigned"
            assert reviewer not in existing, "an existing assignment was repeated"
        assert len(reviewers) <= instance.needed(application)
        new_load.update(reviewers)
        missing = instance.needed(application) - len(reviewers)
        if missing:
            count, reason = result.unfilled[application]
            assert count == missing
            assert reason and isinstance(reason, str)
        else:
            assert application not in result.unfilled
    for reviewer, count in new_load.items():
        assert count <= instance.capacity[reviewer], "a reviewer over capacity"
    existing_load = instance.existing_load()
    assert result.load == {r: existing_load[r] + new_load[r] for r in instance.capacity}
    total = sum(instance.affinity[a][r] for a, rs in result.assignments.items() for r in rs)
    assert abs(result.total_affinity - total) < 1e-9


def rounding(result: Result) -> float:
    # Integer costs round each pair's affinity to 1/scale: two solutions can differ by at most
    # one step per assigned review.
    return result.assigned_count / DEFAULT_SCALE + 1e-9


def check_reasons(instance: Instance, result: Result) -> None:
    """Each shortfall names what ran out: candidates, or capacity."""
    for application, (_, reason) in result.unfilled.items():
        candidates = instance.candidates(application)
        if not candidates:
            assert reason == "no reviewer without a conflict of interest is available"
        elif len(candidates) < instance.needed(application):
            assert reason.startswith(("only", "no reviewer"))
        else:
            assert "capacity" in reason


@fast
@given(pools())
def test_batch_is_valid_fills_the_most_and_matches_the_exact_optimum(instance):
    fillable = max_fillable(instance)
    pure = assign_batch(instance, balance=0.0)
    balanced = assign_batch(instance)
    exact = solve_exact(instance)
    for result in (pure, balanced, exact):
        check_valid(instance, result)
        check_reasons(instance, result)
        # The most that can be filled, so every application is filled when that is feasible.
        assert result.assigned_count == fillable
    if fillable == sum(instance.needed(a) for a in instance.applications):
        assert not pure.unfilled and not balanced.unfilled
    assert abs(pure.total_affinity - exact.total_affinity) <= rounding(exact)
    assert balanced.total_affinity >= 0.995 * exact.total_affinity - rounding(exact)
    assert dual_upper_bound(instance) >= exact.total_affinity - rounding(exact)
    # Same input, same output; and the order applications are listed in does not matter.
    assert assign_batch(instance) == balanced
    reordered = Instance(
        instance.reviews_per_application,
        tuple(reversed(instance.applications)),
        dict(reversed(list(instance.capacity.items()))),
        instance.affinity,
        instance.existing,
    )
    assert assign_batch(reordered).assignments == balanced.assignments


@fast
@given(pools())
def test_router_is_valid_and_fills_whatever_is_left_at_each_turn(instance):
    result = route_in_order(instance)
    check_valid(instance, result)
    check_reasons(instance, result)
    assert route_in_order(instance) == result
    # The router's guarantee: each application gets min(needed, reviewers it may ask who still
    # have capacity at its turn). Replayed here from the result, in submission order.
    left = dict(instance.capacity)
    for application in instance.applications:
        available = sum(1 for r in instance.candidates(application) if left[r] > 0)
        chosen = result.assignments[application]
        assert len(chosen) == min(instance.needed(application), available)
        for reviewer in chosen:
            left[reviewer] -= 1
    # Hence a maximal assignment, which fills at least half of what the best one fills ...
    fillable = max_fillable(instance)
    assert 2 * result.assigned_count >= fillable
    # ... and everything whenever capacity never binds.
    demand_on = Counter(r for a in instance.applications for r in instance.candidates(a))
    if all(instance.capacity[r] >= n for r, n in demand_on.items()):
        assert result.assigned_count == fillable


TOPICS = list(range(12))
WORDS = ["PET", "pet ", "Sarcoma", "AYA", "omics", "palliative", "radiotherapy", "survivorship"]
LANGUAGES = ["en", "it", "de"]
CONFLICT_KEYS = ["institution:1", "institution:2", "institution:3", "group:1"]


@st.composite
def profiles(draw):
    """Up to 12 applications and 10 reviewers with overlapping expertise and conflict keys."""
    rnd = draw(st.randoms(use_true_random=False))

    def some(values, most):
        return rnd.sample(values, rnd.randint(0, most))

    apps = [
        ApplicationProfile(
            id=i,
            network=rnd.randint(5, 8),
            topics=some(TOPICS, 4),
            keywords=some(WORDS, 4),
            languages=some(LANGUAGES, 2),
            conflict_keys=some(CONFLICT_KEYS, 2),
        )
        for i in range(draw(st.integers(1, 12)))
    ]
    revs = [
        ReviewerProfile(
            id=1000 + j,
            networks=some([5, 6, 7, 8], 2),
            topics=some(TOPICS, 5),
            keywords=some(WORDS, 4),
            languages=some(LANGUAGES, 2),
            conflict_keys=some(CONFLICT_KEYS, 2),
        )
        for j in range(draw(st.integers(1, 10)))
    ]
    return apps, revs, draw(st.integers(1, 6)), draw(st.integers(1, 80))


@fast
@given(profiles())
def test_top_candidates_keep_the_best_conflict_free_pairs(data):
    apps, revs, m, chunk = data
    kept = top_candidates(apps, revs, per_application=m, chunk_pairs=chunk)
    mapping = kept.as_mapping()
    for a in apps:
        scores = {r.id: affinity(a, r) for r in revs if not has_conflict(a, r)}
        row = mapping.get(a.id, {})
        assert not set(row) - set(scores), "a conflicted pair was kept"
        for reviewer, value in row.items():
            assert abs(value - scores[reviewer]) < 1e-6
        # At least the m best are kept, and nothing left out beats anything kept from the list.
        assert len(row) >= min(m, len(scores))
        dropped = [s for r, s in scores.items() if r not in row]
        if dropped:
            assert max(dropped) <= kept.dropped_ceiling[a.id]
            assert max(dropped) <= sorted(row.values())[-min(m, len(row))] + 1e-6
        if len(scores) <= m:
            assert a.id not in kept.dropped_ceiling


@fast
@given(profiles(), st.integers(1, 3))
def test_bound_from_sparse_candidates_covers_the_full_optimum(data, k):
    apps, revs, m, _ = data
    capacity = {r.id: 1 + r.id % 3 for r in revs}
    order = tuple(a.id for a in apps)
    full = top_candidates(apps, revs, per_application=len(revs))
    sparse = top_candidates(apps, revs, per_application=m)
    optimum = solve_exact(Instance(k, order, capacity, full.as_mapping()))
    bound = dual_upper_bound(
        Instance(k, order, capacity, sparse.as_mapping()), dropped_ceiling=sparse.dropped_ceiling
    )
    assert bound >= optimum.total_affinity - rounding(optimum)


@fast
@given(profiles(), st.integers(1, 3))
def test_assign_call_on_short_lists_fills_as_much_as_the_full_problem(data, k):
    apps, revs, m, _ = data
    capacity = {r.id: r.id % 4 for r in revs}
    result = assign_call(
        apps, revs, reviews_per_application=k, capacity=capacity, per_application=m
    )
    every_pair = top_candidates(apps, revs, per_application=len(revs))
    full = Instance(k, tuple(a.id for a in apps), capacity, every_pair.as_mapping())
    check_valid(full, result)
    assert result.assigned_count == max_fillable(full)
