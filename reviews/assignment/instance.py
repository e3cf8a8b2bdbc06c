"""The assignment problem's data: profiles, one instance to solve, and the outcome of solving it.

Plain data classes shared by the router, the batch solver and the exact solver, so that all three
read the same instance and answer with the same kind of result. Nothing here touches Django.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

ApplicationId = int
ReviewerId = int


def _frozen(values: Iterable[Hashable]) -> frozenset:
    return frozenset(values)


def normalise_keywords(keywords: Iterable[str]) -> frozenset[str]:
    """Free keywords compared case-blind and without stray spaces ("PET-CT " == "pet-ct")."""
    return frozenset(k.strip().casefold() for k in keywords if k.strip())


@dataclass(frozen=True)
class ApplicationProfile:
    """What the affinity looks at in an application, and what makes a reviewer conflicted.

    `conflict_keys` are opaque tags such as "institution:12", "group:3" or "country:IT" (the last
    only when the call rules out same-country reviewers): sharing any tag with a reviewer is a
    conflict of interest. The caller decides which tags a call uses.
    """

    id: ApplicationId
    network: Hashable
    topics: frozenset = frozenset()
    keywords: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    conflict_keys: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Normalised once here so the scalar and the vectorised affinity see identical sets.
        object.__setattr__(self, "topics", _frozen(self.topics))
        object.__setattr__(self, "keywords", normalise_keywords(self.keywords))
        object.__setattr__(self, "languages", _frozen(self.languages))
        object.__setattr__(self, "conflict_keys", _frozen(self.conflict_keys))


@dataclass(frozen=True)
class ReviewerProfile:
    """A reviewer's expertise and ties; a declared conflict is one more conflict key."""

    id: ReviewerId
    networks: frozenset = frozenset()
    topics: frozenset = frozenset()
    keywords: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    conflict_keys: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "networks", _frozen(self.networks))
        object.__setattr__(self, "topics", _frozen(self.topics))
        object.__setattr__(self, "keywords", normalise_keywords(self.keywords))
        object.__setattr__(self, "languages", _frozen(self.languages))
        object.__setattr__(self, "conflict_keys", _frozen(self.conflict_keys))


@dataclass(frozen=True)
class Instance:
    """One assignment problem.

    - `applications`: in submission order (the router follows it; the batch ignores it).
    - `capacity`: reviews each reviewer can still take; existing assignments are already
      deducted from it.
    - `affinity[application][reviewer]`: in [0, 1], present only for pairs that may be
      assigned. A conflict of interest is simply an absent pair.
    - `existing[application]`: reviewers already on the application. They count against
      `reviews_per_application` and are never assigned again.
    """

    reviews_per_application: int
    applications: tuple[ApplicationId, ...]
    capacity: Mapping[ReviewerId, int]
    affinity: Mapping[ApplicationId, Mapping[ReviewerId, float]]
    existing: Mapping[ApplicationId, frozenset[ReviewerId]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.reviews_per_application < 1:
            raise ValueError("reviews_per_application must be at least 1")
        if len(set(self.applications)) != len(self.applications):
            raise ValueError("an application is listed twice")
        if any(c < 0 for c in self.capacity.values()):
            raise ValueError("a reviewer's capacity is negative")
        known = set(self.applications)
        reviewers = self.capacity.keys()
        for application, row in self.affinity.items():
            if application not in known:
                raise ValueError(f"affinity for unknown application {application!r}")
            if not row:
                continue
            if not reviewers >= row.keys():
                raise ValueError(f"application {application!r} has a reviewer with no capacity")
            if min(row.values()) < 0 or max(row.values()) > 1:
                raise ValueError(f"affinity outside [0, 1] for application {application!r}")

    def needed(self, application: ApplicationId) -> int:
        """Reviews the application still lacks once its existing reviewers are counted."""
        return max(0, self.reviews_per_application - len(self.existing.get(application, ())))

    def candidates(self, application: ApplicationId) -> dict[ReviewerId, float]:
        """Reviewers who may still be assigned to the application, with their affinity."""
        taken = self.existing.get(application, frozenset())
        return {r: a for r, a in self.affinity.get(application, {}).items() if r not in taken}

    def existing_load(self) -> dict[ReviewerId, int]:
        """Existing assignments per reviewer of the pool (they already used part of the budget)."""
        load = dict.fromkeys(self.capacity, 0)
        for reviewers in self.existing.values():
            for reviewer in reviewers:
                if reviewer in load:
                    load[reviewer] += 1
        return load

    def affinity_upper_bound(self) -> float:
        """Total affinity if every application got its best candidates, capacities ignored.

        No assignment can beat it, so a share of this bound is a lower bound on the share of the
        true optimum; it is what the benchmark uses where the exact optimum is out of reach.
        """
        total = 0.0
        for application in self.applications:
            needed = self.needed(application)
            if needed:
                total += sum(heapq.nlargest(needed, self.candidates(application).values()))
        return total


def explain_shortfall(
    *,
    needed: int,
    got: int,
    eligible: int,
    without_capacity: int,
    declined: int = 0,
) -> str:
    """Why an application got `got` of the `needed` reviews, in the coordinator's words.

    `eligible` counts reviewers with no conflict of interest, not already on the application and
    who have not declined it; `without_capacity` is how many of them had no capacity left.
    """
    with_capacity = eligible - without_capacity
    declined_note = f"; {declined} declined" if declined else ""
    if eligible == 0:
        return "no reviewer without a conflict of interest is available" + (
            f" ({declined} declined)" if declined else ""
        )
    if with_capacity < needed:
        if without_capacity == 0:
            head = f"only {_reviewers(eligible)} without a conflict of interest {_be(eligible)}"
            head += " available"
        elif with_capacity == 0:
            head = "no reviewer without a conflict of interest has capacity left"
        else:
            head = f"only {_reviewers(with_capacity)} without a conflict of interest"
            head += f" {_have(with_capacity)} capacity left"
        details = [f"{needed} needed"]
        if without_capacity:
            details.append(f"{without_capacity} {_be(without_capacity)} at capacity")
        taken = with_capacity - got
        if taken > 0:
            details.append(f"{taken} with capacity {_be(taken)} taken by other applications")
        return f"{head} ({', '.join(details)}{declined_note})"
    # Enough reviewers had capacity, yet the solver gave it to other applications: only a batch
    # that fills the most reviews in total can end here, so say so.
    return (
        f"the {_reviewers(with_capacity)} without a conflict of interest who "
        f"{_have(with_capacity)} capacity left {_be(with_capacity)} needed by other "
        f"applications; no assignment fills more reviews in total{declined_note}"
    )


def batch_shortfalls(
    instance: Instance, assignments: Mapping[ApplicationId, Iterable[ReviewerId]]
) -> dict[ApplicationId, tuple[int, str]]:
    """(missing count, reason) of each application a whole-call assignment left short.

    A reviewer counts as without capacity if they had none to begin with; the others were taken
    by other applications, which the reason says.
    """
    unfilled = {}
    for application in instance.applications:
        needed = instance.needed(application)
        got = len(list(assignments.get(application, ())))
        if got < needed:
            candidates = instance.candidates(application)
            full = sum(1 for r in candidates if instance.capacity[r] == 0)
            reason = explain_shortfall(
                needed=needed, got=got, eligible=len(candidates), without_capacity=full
            )
            unfilled[application] = (needed - got, reason)
    return unfilled


def _reviewers(n: int) -> str:
    return f"{n} reviewer" if n == 1 else f"{n} reviewers"


def _be(n: int) -> str:
    return "is" if n == 1 else "are"


def _have(n: int) -> str:
    return "has" if n == 1 else "have"


@dataclass(frozen=True)
class Result:
    """An assignment and the numbers a coordinator checks before applying it.

    - `assignments`: new reviewers per application (every application listed, best first).
    - `unfilled`: applications short of reviews: (missing count, reason).
    - `total_affinity`: sum of the affinity of the new assignments.
    - `worst_application_affinity`: the lowest, over applications that got at least one new
      reviewer, of the mean affinity of those new reviewers (mean, not sum, so an application
      that needed one review is comparable with one that needed three); None if none got any.
    - `load`: reviews per reviewer after the assignment, existing ones included.
    - `load_spread`, `load_cv`: max - min and coefficient of variation (population standard
      deviation / mean) of `load`, over reviewers whose total capacity is above zero.
    - `utilisation_spread`: max - min of load / total capacity over the same reviewers: what
      the balancing penalty actually evens out, since capacities differ.
    - `balance`: the load-balancing weight that produced this result.
    """

    assignments: dict[ApplicationId, tuple[ReviewerId, ...]]
    unfilled: dict[ApplicationId, tuple[int, str]]
    total_affinity: float
    worst_application_affinity: float | None
    load: dict[ReviewerId, int]
    load_spread: int
    load_cv: float
    utilisation_spread: float
    balance: float

    @property
    def assigned_count(self) -> int:
        """Number of new (application, reviewer) pairs."""
        return sum(len(r) for r in self.assignments.values())


def summarise(
    instance: Instance,
    assignments: Mapping[ApplicationId, Iterable[ReviewerId]],
    unfilled: Mapping[ApplicationId, tuple[int, str]],
    *,
    balance: float,
) -> Result:
    """Build the Result of an assignment: order reviewers best first and compute the figures."""
    ordered: dict[ApplicationId, tuple[ReviewerId, ...]] = {}
    total = 0.0
    worst: float | None = None
    for application in instance.applications:
        row = instance.affinity.get(application, {})
        chosen = sorted(assignments.get(application, ()), key=lambda r, row=row: (-row[r], r))
        ordered[application] = tuple(chosen)
        if chosen:
            scores = [row[r] for r in chosen]
            total += sum(scores)
            mean = sum(scores) / len(scores)
            worst = mean if worst is None else min(worst, mean)
    load = instance.existing_load()
    total_capacity = {r: load[r] + c for r, c in instance.capacity.items()}
    for chosen in ordered.values():
        for reviewer in chosen:
            load[reviewer] += 1
    active = [r for r, c in total_capacity.items() if c > 0]
    loads = [load[r] for r in active]
    utilisation = [load[r] / total_capacity[r] for r in active]
    mean_load = sum(loads) / len(loads) if loads else 0.0
    cv = 0.0
    if mean_load > 0:
        cv = math.sqrt(sum((x - mean_load) ** 2 for x in loads) / len(loads)) / mean_load
    return Result(
        assignments=ordered,
        unfilled=dict(sorted(unfilled.items())),
        total_affinity=total,
        worst_application_affinity=worst,
        load=load,
        load_spread=(max(loads) - min(loads)) if loads else 0,
        load_cv=cv,
        utilisation_spread=(max(utilisation) - min(utilisation)) if utilisation else 0.0,
        balance=balance,
    )
