"""Hand-made assignment instances whose answer is obvious."""

import random

import pytest

from reviews.assignment import (
    ApplicationProfile,
    Instance,
    ReviewerProfile,
    affinity,
    assign_batch,
    assign_call,
    dual_upper_bound,
    explain_shortfall,
    has_conflict,
    route_application,
    route_in_order,
    solve_exact,
    top_candidates,
)


def instance(k, affinity_map, capacity, existing=None):
    return Instance(k, tuple(affinity_map), capacity, affinity_map, existing or {})


def test_affinity_follows_the_documented_formula():
    application = ApplicationProfile(
        id=1, network=9, topics={1, 2}, keywords={"PET-CT", "Sarcoma"}, languages={"it", "en"}
    )
    reviewer = ReviewerProfile(
        id=2, networks={9, 10}, topics={2, 3}, keywords={" pet-ct", "omics"}, languages={"en"}
    )
    # 0.35 network + 0.4 * 1/3 topics + 0.15 * 1/3 keywords (case-folded) + 0.1 language
    assert affinity(application, reviewer) == pytest.approx(0.35 + 0.4 / 3 + 0.15 / 3 + 0.1)
    stranger = ReviewerProfile(id=3, networks={5}, topics={7}, languages={"pl"})
    assert affinity(application, stranger) == 0.0
    twin = ReviewerProfile(
        id=4, networks={9}, topics={1, 2}, keywords={"sarcoma", "pet-ct"}, languages={"it"}
    )
    assert affinity(application, twin) == pytest.approx(1.0)


def test_a_shared_conflict_key_is_a_conflict_and_never_a_candidate():
    application = ApplicationProfile(id=1, network=9, topics={1}, conflict_keys={"institution:7"})
    colleague = ReviewerProfile(id=2, networks={9}, topics={1}, conflict_keys={"institution:7"})
    outsider = ReviewerProfile(id=3, networks={5}, conflict_keys={"institution:8"})
    assert has_conflict(application, colleague)
    assert not has_conflict(application, outsider)
    kept = top_candidates([application], [colleague, outsider]).as_mapping()
    assert kept == {1: {3: 0.0}}


@pytest.mark.parametrize("wide", ["topics", "keywords"])
def test_vectorised_affinity_matches_the_scalar_one_with_bitsets_and_inverted_index(wide):
    # A vocabulary of 1,000 values goes through the inverted index, one of 12 through bitsets;
    # swap which feature has which so both paths serve topics and keywords.
    rnd = random.Random(4)
    big, small = [f"v{i}" for i in range(1000)], [f"s{i}" for i in range(12)]
    topics, keywords = (big, small) if wide == "topics" else (small, big)

    def sets():
        return {
            "topics": rnd.sample(topics, rnd.randint(0, 6)),
            "keywords": rnd.sample(keywords, rnd.randint(0, 6)),
            "languages": rnd.sample(["en", "fr"], rnd.randint(0, 2)),
            "conflict_keys": rnd.sample(big, 2),
        }

    apps = [ApplicationProfile(id=i, network=rnd.randint(1, 3), **sets()) for i in range(60)]
    revs = [ReviewerProfile(id=100 + j, networks={rnd.randint(1, 3)}, **sets()) for j in range(45)]
    kept = top_candidates(apps, revs, per_application=45, chunk_pairs=500)
    mapping = kept.as_mapping()
    for a in apps:
        expected = {r.id: affinity(a, r) for r in revs if not has_conflict(a, r)}
        assert mapping.get(a.id, {}).keys() == expected.keys()
        for reviewer, value in expected.items():
            assert mapping[a.id][reviewer] == pytest.approx(value, abs=1e-6)


def test_each_application_gets_its_obvious_best_reviewer():
    problem = instance(1, {1: {10: 0.9, 11: 0.1}, 2: {10: 0.1, 11: 0.8}}, {10: 1, 11: 1})
    for solve in (assign_batch, route_in_order, solve_exact):
        result = solve(problem)
        assert result.assignments == {1: (10,), 2: (11,)}
        assert result.total_affinity == pytest.approx(1.7)
        assert result.worst_application_affinity == pytest.approx(0.8)
        assert result.unfilled == {}


def test_the_only_reviewer_without_a_conflict_is_chosen_however_weak_the_match():
    problem = instance(1, {1: {12: 0.05}}, {10: 5, 11: 5, 12: 5})
    assert assign_batch(problem).assignments == {1: (12,)}
    assert route_in_order(problem).assignments == {1: (12,)}


def test_the_router_can_be_trapped_where_the_batch_fills_everything():
    # The first application prefers the only reviewer the second one may have.
    problem = instance(1, {1: {10: 0.9, 11: 0.8}, 2: {10: 0.3}}, {10: 1, 11: 1})
    routed = route_in_order(problem, balance=0.0)
    assert routed.assignments == {1: (10,), 2: ()}
    assert routed.unfilled == {
        2: (
            1,
            "no reviewer without a conflict of interest has capacity left "
            "(1 needed, 1 is at capacity)",
        )
    }
    batch = assign_batch(problem)
    assert batch.assignments == {1: (11,), 2: (10,)}
    assert batch.unfilled == {}


def test_an_application_that_cannot_be_filled_says_why():
    problem = instance(
        3,
        {1: {}, 2: {10: 0.5, 11: 0.5}, 3: {10: 0.5, 11: 0.5, 12: 0.5, 13: 0.5}, 4: {13: 0.9}},
        {10: 5, 11: 5, 12: 0, 13: 0},
    )
    assert assign_batch(problem).unfilled == {
        1: (3, "no reviewer without a conflict of interest is available"),
        2: (1, "only 2 reviewers without a conflict of interest are available (3 needed)"),
        3: (
            1,
            "only 2 reviewers without a conflict of interest have capacity left "
            "(3 needed, 2 are at capacity)",
        ),
        4: (
            3,
            "no reviewer without a conflict of interest has capacity left "
            "(3 needed, 1 is at capacity)",
        ),
    }


def test_competition_for_one_reviewer_is_explained_as_such():
    problem = instance(1, {1: {10: 0.9}, 2: {10: 0.8}}, {10: 1})
    result = assign_batch(problem)
    assert result.assignments == {1: (10,), 2: ()}
    assert result.unfilled == {
        2: (
            1,
            "the 1 reviewer without a conflict of interest who has capacity left is needed by "
            "other applications; no assignment fills more reviews in total",
        )
    }


def test_existing_assignments_count_against_k_and_are_never_repeated():
    problem = instance(
        2, {1: {10: 0.9, 11: 0.5, 12: 0.4}}, {10: 3, 11: 3, 12: 3}, {1: frozenset({10})}
    )
    for solve in (assign_batch, route_in_order, solve_exact):
        result = solve(problem)
        assert result.assignments == {1: (11,)}
        assert result.load == {10: 1, 11: 1, 12: 0}


def test_an_application_filling_more_reviews_beats_a_higher_affinity():
    # Giving reviewer 10 to application 1 would score more, but leave application 2 empty.
    problem = instance(1, {1: {10: 1.0, 11: 0.1}, 2: {10: 0.5}}, {10: 1, 11: 1})
    for solve in (assign_batch, solve_exact):
        assert solve(problem).assignments == {1: (11,), 2: (10,)}


def test_a_decline_routes_to_the_next_best_and_then_says_who_declined():
    candidates = {10: 0.9, 11: 0.7, 12: 0.6}
    capacity = {10: 2, 11: 2, 12: 0}
    first = route_application(candidates=candidates, needed=1, capacity_left=capacity, load={})
    assert first.reviewers == (10,)
    again = route_application(
        candidates=candidates, needed=1, capacity_left=capacity, load={}, declined={10}
    )
    assert again.reviewers == (11,)
    none_left = route_application(
        candidates=candidates, needed=1, capacity_left=capacity, load={}, declined={10, 11}
    )
    assert none_left.reviewers == ()
    assert none_left.reason == (
        "no reviewer without a conflict of interest has capacity left "
        "(1 needed, 1 is at capacity; 2 declined)"
    )


def test_ties_go_to_the_lower_reviewer_id():
    route = route_application(
        candidates={12: 0.5, 10: 0.5, 11: 0.5},
        needed=2,
        capacity_left={10: 1, 11: 1, 12: 1},
        load={},
    )
    assert route.reviewers == (10, 11)


def test_load_is_spread_between_equally_good_reviewers():
    problem = instance(1, {a: {10: 0.6, 11: 0.6} for a in range(1, 9)}, {10: 8, 11: 8})
    for result in (assign_batch(problem), route_in_order(problem)):
        assert result.load == {10: 4, 11: 4}
        assert result.load_spread == 0
        assert result.load_cv == 0.0
    # Without the penalty nothing stops the solver from piling everything on one reviewer;
    # the figures are still consistent.
    pure = assign_batch(problem, balance=0.0)
    assert sum(pure.load.values()) == 8
    assert pure.total_affinity == pytest.approx(8 * 0.6)


def test_balancing_gives_way_when_it_would_cost_too_much_affinity():
    # Reviewer 10 is far better for everyone; a heavy penalty would send half to reviewer 11.
    problem = instance(1, {a: {10: 0.9, 11: 0.1} for a in range(1, 5)}, {10: 4, 11: 4})
    result = assign_batch(problem, balance=5.0)
    assert result.total_affinity >= 0.995 * solve_exact(problem).total_affinity
    assert result.balance < 5.0


def test_dual_bound_is_tight_on_a_small_instance():
    problem = instance(2, {1: {10: 0.9, 11: 0.3}, 2: {10: 0.8, 11: 0.7}}, {10: 1, 11: 2})
    optimum = solve_exact(problem).total_affinity
    assert optimum == pytest.approx(0.9 + 0.3 + 0.7)
    assert dual_upper_bound(problem) == pytest.approx(optimum, abs=1e-3)


def test_instances_reject_impossible_input():
    with pytest.raises(ValueError, match="capacity is negative"):
        instance(1, {1: {}}, {10: -1})
    with pytest.raises(ValueError, match="outside"):
        instance(1, {1: {10: 1.5}}, {10: 1})
    with pytest.raises(ValueError, match="no capacity"):
        instance(1, {1: {99: 0.5}}, {10: 1})
    with pytest.raises(ValueError, match="at least 1"):
        instance(0, {1: {}}, {})


def test_shortfall_wording():
    assert explain_shortfall(needed=3, got=2, eligible=6, without_capacity=4) == (
        "only 2 reviewers without a conflict of interest have capacity left "
        "(3 needed, 4 are at capacity)"
    )
    assert explain_shortfall(needed=2, got=0, eligible=0, without_capacity=0, declined=1) == (
        "no reviewer without a conflict of interest is available (1 declined)"
    )


def test_short_candidate_lists_are_repaired_when_demand_piles_up_on_one_network():
    # Six applications to network 5, whose two reviewers can take four; the three reviewers of
    # network 6 have time, but lists of the best two reviewers never mention them.
    apps = [ApplicationProfile(id=i, network=5, topics={1}) for i in range(1, 7)]
    revs = [ReviewerProfile(id=10 + j, networks={5}, topics={1}) for j in range(2)]
    revs += [ReviewerProfile(id=20 + j, networks={6}, topics={1}) for j in range(3)]
    capacity = {r.id: 2 for r in revs}
    result = assign_call(
        apps, revs, reviews_per_application=1, capacity=capacity, per_application=2
    )
    assert result.unfilled == {}
    assert sum(result.load[r] for r in (10, 11)) == 4  # the best reviewers are used first
    assert sum(result.load[r] for r in (20, 21, 22)) == 2
    assert result.total_affinity == pytest.approx(4 * 0.75 + 2 * 0.4)


def test_assign_call_matches_assign_batch_when_lists_hold_everyone():
    rnd = random.Random(9)
    apps = [
        ApplicationProfile(id=i, network=rnd.randint(1, 3), topics=rnd.sample(range(9), 2))
        for i in range(40)
    ]
    revs = [
        ReviewerProfile(id=100 + j, networks={rnd.randint(1, 3)}, topics=rnd.sample(range(9), 3))
        for j in range(12)
    ]
    capacity = {r.id: rnd.randint(0, 12) for r in revs}
    every = top_candidates(apps, revs, per_application=len(revs)).as_mapping()
    instance = Instance(3, tuple(a.id for a in apps), capacity, every)
    called = assign_call(apps, revs, reviews_per_application=3, capacity=capacity)
    assert called == assign_batch(instance)
