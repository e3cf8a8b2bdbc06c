"""Routing benchmark: the one-at-a-time router against the batch min-cost flow.

Run with `.venv/bin/python bench/routing.py` (or `make bench-routing`). It prints one table; the
notes under it say what each number is. See bench/README.md.

Every measured step runs in its own fresh process (spawned), so its peak memory is its own:
"peak RSS" is the process's resource.getrusage ru_maxrss, which counts everything the process
holds, OR-Tools' C++ memory included, and "step" is how much that peak grew during the step
itself, above the inputs already loaded.
"""

from __future__ import annotations

import argparse
import multiprocessing
import pickle
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reviews.assignment import (
    BATCH_BALANCE,
    ROUTER_BALANCE,
    ApplicationProfile,
    Candidates,
    Instance,
    Result,
    ReviewerIndex,
    ReviewerProfile,
    assign_call,
    dual_upper_bound,
    route_application,
    solve_exact,
    top_candidates,
)
from reviews.assignment.instance import summarise

K = 3
NETWORKS = list(range(5, 12))  # one work package per network, WP5..WP11
TOPICS = 40  # controlled vocabulary of cancer types and topics
KEYWORDS = 1500
LANGUAGES = ["en", "it", "de", "es", "fr", "pl", "nl", "pt", "ro", "el", "cs", "hu", "sv", "bg"]
PER_APPLICATION = 40  # the default of assign_call
SMALL = 100  # reviewers: up to this, the exact integer programme gives the reference
REFERENCE_ALL_PAIRS = 500  # reviewers: up to this, the reference bound looks at every pair
REFERENCE_PER_APPLICATION = 200  # beyond, at the best 200 per application plus a ceiling


def make_call(n_apps: int, n_revs: int, seed: int):
    """Seeded applications, reviewers and capacities shaped like a call of the networks."""
    rng = np.random.default_rng(seed)
    zipf = 1 / np.arange(1, TOPICS + 1) ** 0.8
    # Each network leans towards its own handful of topics, as the networks' scopes do.
    topic_weights = {}
    for network in NETWORKS:
        w = zipf.copy()
        w[rng.choice(TOPICS, 8, replace=False)] *= 6
        topic_weights[network] = w / w.sum()
    topic_keywords = rng.integers(0, KEYWORDS, size=(TOPICS, 25))
    keyword_zipf = 1 / np.arange(1, KEYWORDS + 1) ** 1.1
    keyword_zipf /= keyword_zipf.sum()
    language_weights = 1 / np.arange(1, len(LANGUAGES) + 1) ** 1.2
    language_weights /= language_weights.sum()
    network_weights = np.array([0.25, 0.15, 0.15, 0.12, 0.12, 0.11, 0.10])
    institutions = max(50, n_apps // 4)

    def topics_for(networks, n):
        w = sum(topic_weights[x] for x in networks)
        return rng.choice(TOPICS, size=n, replace=False, p=w / w.sum()).tolist()

    def keywords_for(topics, n):
        related = [int(k) for t in topics for k in rng.choice(topic_keywords[t], 2)]
        generic = rng.choice(KEYWORDS, size=n, p=keyword_zipf).tolist()
        return [f"kw{k}" for k in related + generic]

    def languages_for(english):
        others = _without_english(language_weights)
        native = LANGUAGES[1 + int(rng.choice(len(LANGUAGES) - 1, p=others))]
        return {native, "en"} if rng.random() < english else {native}

    apps = []
    for i in range(n_apps):
        network = int(rng.choice(NETWORKS, p=network_weights))
        topics = topics_for([network], int(rng.integers(1, 4)))
        institution = int(rng.zipf(1.6)) % institutions
        apps.append(
            ApplicationProfile(
                id=i + 1,
                network=network,
                topics=topics,
                keywords=keywords_for(topics, int(rng.integers(1, 5))),
                languages=languages_for(0.7),
                conflict_keys={f"institution:{institution}", f"group:{institution // 6}"},
            )
        )
    revs = []
    for j in range(n_revs):
        networks = rng.choice(NETWORKS, size=int(rng.integers(1, 3)), replace=False).tolist()
        topics = topics_for(networks, int(rng.integers(2, 6)))
        institution = int(rng.integers(0, institutions * 2))  # half from outside the applicants
        revs.append(
            ReviewerProfile(
                id=10_000_000 + j,
                networks=networks,
                topics=topics,
                keywords=keywords_for(topics, int(rng.integers(2, 7))),
                languages=languages_for(0.9),
                conflict_keys={f"institution:{institution}", f"group:{institution // 6}"},
            )
        )
    # Capacities 0.4-1.6 x the mean, the mean set so total capacity is 1.25 x the reviews needed.
    # The draw's total wanders around that (for 60 reviewers by +- 5 %: seed 7 drew 4 % short),
    # so random reviewers are then moved by one, within the bounds, until the total is exact.
    target, mean = round(1.25 * K * n_apps), 1.25 * K * n_apps / n_revs
    low, high = round(0.4 * mean), round(1.6 * mean)
    capacity = rng.integers(low, high + 1, size=n_revs)
    while (gap := target - int(capacity.sum())) != 0:
        step = 1 if gap > 0 else -1
        movable = np.flatnonzero(capacity < high if step > 0 else capacity > low)
        moved = rng.choice(movable, size=min(abs(gap), movable.size), replace=False)
        capacity[moved] += step
    assert capacity.sum() == target
    return apps, revs, {r.id: int(c) for r, c in zip(revs, capacity, strict=True)}


def _without_english(w):
    """The other languages' weights, English (first) left out, summing to 1."""
    w = w[1:]
    return w / w.sum()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


@dataclass
class Measure:
    seconds: float
    step_mb: float
    peak_mb: float
    result: Result | None = None
    value: float = 0.0
    pairs: int = 0


def _prepare(n_apps, n_revs, seed, folder) -> None:
    """Untimed: the call's profiles for the other steps, and the reference candidate lists."""
    apps, revs, capacity = make_call(n_apps, n_revs, seed)
    with open(Path(folder, "call.pickle"), "wb") as f:
        pickle.dump((apps, revs, capacity), f)
    wide = n_revs if n_revs <= REFERENCE_ALL_PAIRS else REFERENCE_PER_APPLICATION
    reference = top_candidates(apps, revs, per_application=wide)
    ceiling = reference.dropped_ceiling
    np.savez(
        Path(folder, "reference.npz"),
        app_ids=reference.application_ids,
        rev_ids=reference.reviewer_ids,
        affinities=reference.affinities,
        ceiling_ids=np.array(list(ceiling), dtype=np.int64),
        ceilings=np.array(list(ceiling.values()), dtype=np.float64),
    )


def _reference(folder, exact: bool) -> Measure:
    """The optimum (exact) or a certified upper bound on it (dual), over the reference lists."""
    with open(Path(folder, "call.pickle"), "rb") as f:
        apps, _, capacity = pickle.load(f)
    data = np.load(Path(folder, "reference.npz"))
    before, start = _rss_mb(), time.perf_counter()
    pairs = Candidates(data["app_ids"], data["rev_ids"], data["affinities"]).as_mapping()
    instance = Instance(K, tuple(a.id for a in apps), capacity, pairs)
    if exact:
        value = solve_exact(instance).total_affinity
    else:
        ceilings = dict(zip(data["ceiling_ids"].tolist(), data["ceilings"].tolist(), strict=True))
        value = dual_upper_bound(instance, dropped_ceiling=ceilings)
    return Measure(time.perf_counter() - start, _rss_mb() - before, _rss_mb(), value=value)


def _step(method, folder) -> Measure:
    """One measured step on the call's profiles (loading them is input, not the step)."""
    with open(Path(folder, "call.pickle"), "rb") as f:
        apps, revs, capacity = pickle.load(f)
    before, start = _rss_mb(), time.perf_counter()
    result, pairs = None, 0
    if method == "affinity":
        kept = top_candidates(apps, revs, per_application=PER_APPLICATION)
        pairs = kept.affinities.size
    elif method == "router":
        result = _route_call(apps, revs, capacity)
    else:
        balance = {"batch": BATCH_BALANCE, "batch, no balance": 0.0}[method]
        result = assign_call(
            apps, revs, reviews_per_application=K, capacity=capacity, balance=balance
        )
    measure = Measure(time.perf_counter() - start, _rss_mb() - before, _rss_mb(), result)
    measure.pairs = pairs
    return measure


def _route_call(apps, revs, capacity) -> Result:
    """Routing on submission, application after application, as the portal does it.

    Each application is routed on its best PER_APPLICATION candidates; only if those run out of
    capacity is its affinity with every reviewer computed (the portal can afford that for one
    application at a time, not 20,000 dictionaries of 3,000 entries).
    """
    index = ReviewerIndex(revs)  # the reviewers encoded once, as a routing worker could keep
    kept = index.top_candidates(apps, per_application=PER_APPLICATION)
    lists = kept.as_mapping()
    left, load = dict(capacity), dict.fromkeys(capacity, 0)
    chosen, unfilled, every = {}, {}, dict(lists)
    for app in apps:
        candidates = lists.get(app.id, {})
        route = route_application(candidates=candidates, needed=K, capacity_left=left, load=load)
        if route.missing and app.id in kept.dropped_ceiling:
            candidates = index.top_candidates([app], per_application=len(revs)).as_mapping()
            candidates = candidates.get(app.id, {})
            every[app.id] = candidates
            route = route_application(
                candidates=candidates, needed=K, capacity_left=left, load=load
            )
        chosen[app.id] = route.reviewers
        for reviewer in route.reviewers:
            left[reviewer] -= 1
            load[reviewer] += 1
        if route.missing:
            unfilled[app.id] = (route.missing, route.reason or "")
    instance = Instance(K, tuple(a.id for a in apps), capacity, every)
    return summarise(instance, chosen, unfilled, balance=ROUTER_BALANCE)


def _median(function, method, folder, *, repeats: int) -> Measure:
    """The step run `repeats` times, each in a fresh process: the median time, the largest
    memory, the rest from the first run (the steps are deterministic)."""
    runs = [_isolated(function, method, folder) for _ in range(repeats)]
    first = runs[0]
    first.seconds = statistics.median(m.seconds for m in runs)
    first.step_mb = max(m.step_mb for m in runs)
    first.peak_mb = max(m.peak_mb for m in runs)
    return first


def _isolated(function, *args):
    """Run one step in a fresh spawned process and return what it returns."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


ROW = "{:<15} {:<34} {:>7} {:>7} {:>7} {:>8} {:>5} {:>6} {:>6} {:>5} {:>5} {:>8}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--quick", action="store_true", help="skip the 20,000 x 3,000 instance")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each step (median time)")
    args = parser.parse_args()
    sizes = [(200, 60), (2_000, 500)] + ([] if args.quick else [(20_000, 3_000)])
    started = time.perf_counter()
    header = ROW.format(
        "instance", "step", "time s", "step MB", "peak MB", "share %", "of", "worst",
        "spread", "cv", "util", "unfilled",
    )  # fmt: skip
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for n_apps, n_revs in sizes:
            label = f"{n_apps:,} x {n_revs:,}"
            folder = Path(tmp, str(n_apps))
            folder.mkdir()
            _isolated(_prepare, n_apps, n_revs, args.seed, folder)
            exact = n_revs <= SMALL
            m = _isolated(_reference, folder, exact)
            if exact:
                of, name = "exact", "reference: exact optimum, all pairs"
            elif n_revs <= REFERENCE_ALL_PAIRS:
                of, name = "bound", "reference: dual bound, all pairs"
            else:
                of, name = "bound", f"reference: dual bound, top {REFERENCE_PER_APPLICATION}"
            optimum = m.value
            _print(label, name, m)
            m = _median(_step, "affinity", folder, repeats=args.repeats)
            _print(label, f"affinity only: top {PER_APPLICATION} lists", m)
            for method in ("batch", "batch, no balance", "router"):
                m = _median(_step, method, folder, repeats=args.repeats)
                _print(label, method, m, 100 * m.result.total_affinity / optimum, of)
            print()
    print(f"Whole benchmark: {time.perf_counter() - started:.0f} s.\n")
    print(NOTES.format(m=PER_APPLICATION, k=K, w=REFERENCE_PER_APPLICATION, r=ROUTER_BALANCE))


def _print(label, step, m: Measure, share=None, of="") -> None:
    r = m.result
    figures = ["", "", "", "", "", ""]
    if r is not None:
        figures = [
            f"{share:.2f}",
            of,
            f"{r.worst_application_affinity:.3f}",
            str(r.load_spread),
            f"{r.load_cv:.2f}",
            f"{r.utilisation_spread:.2f}",
        ]
    elif m.value:
        figures[0] = f"{m.value:.1f}"  # the reference itself, in affinity units
    unfilled = "" if r is None else str(sum(n for n, _ in r.unfilled.values()))
    print(
        ROW.format(
            label,
            step,
            f"{m.seconds:.2f}",
            f"{m.step_mb:.0f}",
            f"{m.peak_mb:.0f}",
            *figures,
            unfilled,
        )
    )


NOTES = """\
What the rows and columns are (k = {k} reviews per application; seeded instances; the steps'
times are the median of --repeats runs, each in a fresh process, memory the largest):
- reference: what the shares are measured against; its value, in affinity units, stands
  under "share %". exact = the proven optimum of the integer programme over every
  conflict-free pair (SCIP, small instance only). dual bound = a certified upper bound on the
  optimum over every conflict-free pair: Lagrangian dual with optimal reviewer prices; on the
  largest call computed on the best {w} reviewers per application, every pair left out counted
  at a ceiling none of them exceeds. Over all pairs it equals the optimum up to the 1/10,000
  cost rounding; elsewhere it is above it, so a share of it understates the share of the true
  optimum.
- affinity only: computing the affinity of every (application, reviewer) pair in chunks and
  keeping the best {m} reviewers per application, conflicts of interest left out. Included in
  the batch and router rows, shown alone for the breakdown.
- batch: assign_call, end to end from the profiles: affinity, candidate lists, min-cost flow
  with the load-balancing penalty, list repair where needed. "no balance": penalty off.
- router: one application at a time in submission order (route_application, load-balancing
  weight {r}) on the same lists, an application's full row computed only if its list runs out.
- time s: wall time of the step (median). step MB: growth of the process's peak RSS (getrusage
  ru_maxrss) during the step, above the inputs already loaded; peak MB: the process's peak RSS,
  interpreter and inputs included. Every step runs in a fresh process, so no step's peak hides
  another's, and RSS counts OR-Tools' C++ memory, which tracemalloc would not.
- share %: total affinity of the new assignments / the reference ("of").
- worst: the lowest mean affinity of an application's assigned reviewers.
- spread, cv: max - min and coefficient of variation of reviews per reviewer (capacities differ,
  0.4 to 1.6 x the mean, so some spread is intended); util: max - min of load / capacity.
- unfilled: reviews that could not be assigned (total capacity is 1.25 x the reviews needed)."""


if __name__ == "__main__":
    main()
