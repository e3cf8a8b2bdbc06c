"""How well a reviewer's expertise fits an application, one pair at a time or a whole call at once.

    affinity = 0.35 * [the reviewer belongs to the application's network]
             + 0.40 * Jaccard(topics)                 controlled vocabulary of cancer types/topics
             + 0.15 * Jaccard(keywords)               free keywords, case-folded
             + 0.10 * [they share a language]

Jaccard(A, B) = |A & B| / |A | B|, and 0 when both sets are empty (no evidence is no match).
The weights are non-negative and add up to 1, so the affinity lies in [0, 1]. A pair sharing a
conflict key is a conflict of interest and never a candidate, whatever its affinity.

`top_candidates` (or a `ReviewerIndex`, which encodes the reviewers once for many calls)
computes the same number for every pair of a large call (20,000 applications x 3,000 reviewers
is 60 million pairs) in chunks of applications and keeps only the best few reviewers per
application, never holding more than one chunk of scores in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .instance import ApplicationId, ApplicationProfile, ReviewerId, ReviewerProfile


@dataclass(frozen=True)
class AffinityWeights:
    """Weights of the four parts of the affinity; they must add up to 1."""

    network: float = 0.35
    topics: float = 0.40
    keywords: float = 0.15
    language: float = 0.10

    def __post_init__(self) -> None:
        parts = (self.network, self.topics, self.keywords, self.language)
        if min(parts) < 0 or abs(sum(parts) - 1) > 1e-9:
            raise ValueError("affinity weights must be non-negative and add up to 1")


DEFAULT_WEIGHTS = AffinityWeights()


def jaccard(a: frozenset, b: frozenset) -> float:
    """|a & b| / |a | b|, or 0 when both are empty."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def affinity(
    application: ApplicationProfile,
    reviewer: ReviewerProfile,
    weights: AffinityWeights = DEFAULT_WEIGHTS,
) -> float:
    """The affinity of one pair, in [0, 1] (conflicts are not looked at here)."""
    return (
        weights.network * (application.network in reviewer.networks)
        + weights.topics * jaccard(application.topics, reviewer.topics)
        + weights.keywords * jaccard(application.keywords, reviewer.keywords)
        + weights.language * bool(application.languages & reviewer.languages)
    )


def has_conflict(application: ApplicationProfile, reviewer: ReviewerProfile) -> bool:
    """True when the two share a conflict key (institution, parent group, country, declared)."""
    return not application.conflict_keys.isdisjoint(reviewer.conflict_keys)


@dataclass(frozen=True)
class Candidates:
    """The pairs kept for assignment, as parallel arrays sorted by application then reviewer.

    `dropped_ceiling[application]`, present when some of the application's conflict-free pairs
    were left out, is an affinity none of those left-out pairs exceeds: what an upper bound on
    the unsparsified optimum needs to know (see `exact.dual_upper_bound`).
    """

    application_ids: np.ndarray
    reviewer_ids: np.ndarray
    affinities: np.ndarray
    dropped_ceiling: dict[ApplicationId, float] = field(default_factory=dict)

    def as_mapping(self) -> dict[ApplicationId, dict[ReviewerId, float]]:
        """The pairs as {application: {reviewer: affinity}}, the shape an Instance takes."""
        mapping: dict[ApplicationId, dict[ReviewerId, float]] = {}
        apps = self.application_ids.tolist()
        revs = self.reviewer_ids.tolist()
        affs = self.affinities.tolist()
        for a, r, s in zip(apps, revs, affs, strict=True):
            row = mapping.get(a)
            if row is None:
                row = mapping[a] = {}
            row[r] = s
        return mapping


# Vocabularies up to this size are compared as bitsets (a few 64-bit words and a popcount per
# pair); larger, open ones (keywords, conflict keys) through an inverted index, which only touches
# the pairs that actually share something.
_BITSET_LIMIT = 256


class _SetFeature:
    """One set-valued feature of a call's reviewers, encoded to count, for a chunk of
    applications, |application's set & reviewer's set| against every reviewer at once."""

    def __init__(self, rev_sets: Sequence[frozenset]) -> None:
        self.vocabulary: dict = {}
        for s in rev_sets:
            for value in s:
                self.vocabulary.setdefault(value, len(self.vocabulary))
        self.rev_sizes = np.array([len(s) for s in rev_sets], dtype=np.float32)
        self.n_reviewers = len(rev_sets)
        self.bitset = len(self.vocabulary) <= _BITSET_LIMIT
        if self.bitset:
            self.words = max(1, -(-len(self.vocabulary) // 64))
            self.rev_bits = _bits(rev_sets, self.vocabulary, self.words)
        else:
            # Inverted index: for each value, the reviewers who have it.
            rev_ptr, rev_values = _csr(rev_sets, self.vocabulary)
            owners = np.repeat(np.arange(len(rev_sets)), np.diff(rev_ptr))
            self.post_reviewers = owners[np.argsort(rev_values, kind="stable")]
            self.post_ptr = np.zeros(len(self.vocabulary) + 1, dtype=np.int64)
            counts = np.bincount(rev_values, minlength=len(self.vocabulary))
            np.cumsum(counts, out=self.post_ptr[1:])

    def encode(self, app_sets: Sequence[frozenset]) -> tuple[np.ndarray, ...]:
        """The applications' side: sizes, then bitsets or (pointers, values) in CSR form."""
        # Values no reviewer has never intersect; they only count in the application's size.
        sizes = np.array([len(s) for s in app_sets], dtype=np.float32)
        if self.bitset:
            return sizes, _bits(app_sets, self.vocabulary, self.words)
        return (sizes, *_csr(app_sets, self.vocabulary))

    def shared(self, apps: tuple[np.ndarray, ...], start: int, stop: int) -> np.ndarray:
        """|A & B| for applications start..stop-1 against every reviewer, shape (chunk, R)."""
        if self.bitset:
            a = apps[1][start:stop]
            counts = np.zeros((stop - start, self.n_reviewers), dtype=np.uint8)
            for w in range(a.shape[1]):
                counts += np.bitwise_count(a[:, w, None] & self.rev_bits[None, :, w])
            return counts
        ptr, all_values = apps[1], apps[2]
        values = all_values[ptr[start] : ptr[stop]]
        owners = np.repeat(np.arange(stop - start), np.diff(ptr[start : stop + 1]))
        lengths = self.post_ptr[values + 1] - self.post_ptr[values]
        # Gather every posting list of the chunk's values in one go (CSR gather).
        offsets = np.repeat(self.post_ptr[values] - (np.cumsum(lengths) - lengths), lengths)
        reviewers = self.post_reviewers[offsets + np.arange(lengths.sum())]
        flat = np.repeat(owners, lengths) * self.n_reviewers + reviewers
        counts = np.bincount(flat, minlength=(stop - start) * self.n_reviewers)
        return counts.reshape(stop - start, self.n_reviewers)

    def jaccard(self, apps: tuple[np.ndarray, ...], start: int, stop: int) -> np.ndarray:
        """Jaccard similarity for the chunk, float32, 0 where both sets are empty."""
        inter = self.shared(apps, start, stop).astype(np.float32)
        union = apps[0][start:stop, None] + self.rev_sizes[None, :] - inter
        return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def _bits(sets: Sequence[frozenset], vocabulary: dict, words: int) -> np.ndarray:
    bits = np.zeros((len(sets), words), dtype=np.uint64)
    for i, s in enumerate(sets):
        for value in s:
            index = vocabulary.get(value)
            if index is not None:
                bits[i, index // 64] |= np.uint64(1) << np.uint64(index % 64)
    return bits


def _csr(sets: Sequence[frozenset], vocabulary: dict) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(sets) + 1, dtype=np.int64)
    values: list[int] = []
    for i, s in enumerate(sets):
        values.extend(sorted(vocabulary[v] for v in s if v in vocabulary))
        ptr[i + 1] = len(values)
    return ptr, np.array(values, dtype=np.int64)


# The five features: how each side reads it.
_FEATURES: dict[str, tuple[Callable[[ApplicationProfile], Iterable], Callable]] = {
    "network": (lambda a: (a.network,), lambda r: r.networks),
    "topics": (lambda a: a.topics, lambda r: r.topics),
    "keywords": (lambda a: a.keywords, lambda r: r.keywords),
    "languages": (lambda a: a.languages, lambda r: r.languages),
    "conflicts": (lambda a: a.conflict_keys, lambda r: r.conflict_keys),
}

# Scores are ranked through an integer key, quantised score then reversed index, so that ties go
# to the lower index deterministically and a partial sort needs a single integer comparison.
_QUANTUM = 1 << 20


class ReviewerIndex:
    """A call's reviewers, encoded once so that any number of applications can be scored
    against them (routing one application at a time, or a whole call in chunks)."""

    def __init__(
        self, reviewers: Sequence[ReviewerProfile], weights: AffinityWeights = DEFAULT_WEIGHTS
    ) -> None:
        self.reviewers = list(reviewers)
        self.weights = weights
        self.features = {
            name: _SetFeature([frozenset(side(r)) for r in self.reviewers])
            for name, (_, side) in _FEATURES.items()
        }
        self.ids = np.array([r.id for r in self.reviewers], dtype=np.int64)

    def top_candidates(
        self,
        applications: Sequence[ApplicationProfile],
        *,
        per_application: int = 40,
        chunk_pairs: int = 2_000_000,
    ) -> Candidates:
        """The best `per_application` reviewers of each application, conflicts of interest
        left out.

        Computes the same affinity as `affinity()` (in float32) for every pair, about
        `chunk_pairs` pairs at a time, so memory stays near one chunk whatever the call's size.
        Ties go to the reviewer listed first.
        """
        n_apps, n_revs, w = len(applications), len(self.reviewers), self.weights
        m = min(per_application, n_revs)
        if n_apps == 0 or m == 0:
            empty = np.zeros(0, dtype=np.int64)
            return Candidates(empty, empty, np.zeros(0))
        f = self.features
        apps = {
            name: f[name].encode([frozenset(side(a)) for a in applications])
            for name, (side, _) in _FEATURES.items()
        }
        rows, cols, scores = [], [], []
        ceilings: dict[int, float] = {}
        chunk = max(1, chunk_pairs // n_revs)
        reversed_rev = np.arange(n_revs - 1, -1, -1, dtype=np.int64)
        for start in range(0, n_apps, chunk):
            stop = min(n_apps, start + chunk)
            score = np.float32(w.network) * (f["network"].shared(apps["network"], start, stop) > 0)
            score += np.float32(w.topics) * f["topics"].jaccard(apps["topics"], start, stop)
            score += np.float32(w.keywords) * f["keywords"].jaccard(apps["keywords"], start, stop)
            shared_language = f["languages"].shared(apps["languages"], start, stop) > 0
            score += np.float32(w.language) * shared_language
            conflict = f["conflicts"].shared(apps["conflicts"], start, stop) > 0

            key = np.rint(score * _QUANTUM).astype(np.int64) * n_revs + reversed_rev
            key[conflict] = -1
            top = _top(key, m)
            row = np.repeat(np.arange(start, stop), m)
            keep = np.take_along_axis(key, top, axis=1).ravel() >= 0
            rows.append(row[keep])
            cols.append(top.ravel()[keep])
            scores.append(score[row[keep] - start, top.ravel()[keep]])
            # Rows with more conflict-free reviewers than kept: the lowest kept score bounds
            # every dropped one (the partial sort leaves nothing higher outside the top m),
            # with one quantum of margin as the ranking compared quantised scores.
            dropped = np.flatnonzero((~conflict).sum(axis=1) > m)
            if dropped.size:
                lowest = np.take_along_axis(score, top, axis=1).min(axis=1) + 1 / _QUANTUM
                lowest_dropped = lowest[dropped].tolist()
                ceilings.update(zip((dropped + start).tolist(), lowest_dropped, strict=True))

        app_ids = np.array([a.id for a in applications], dtype=np.int64)
        row, col = np.concatenate(rows), np.concatenate(cols)
        order = np.lexsort((col, row))
        return Candidates(
            application_ids=app_ids[row[order]],
            reviewer_ids=self.ids[col[order]],
            affinities=np.concatenate(scores)[order].astype(np.float64),
            dropped_ceiling={int(app_ids[i]): c for i, c in ceilings.items()},
        )


def top_candidates(
    applications: Sequence[ApplicationProfile],
    reviewers: Sequence[ReviewerProfile],
    *,
    per_application: int = 40,
    weights: AffinityWeights = DEFAULT_WEIGHTS,
    chunk_pairs: int = 2_000_000,
) -> Candidates:
    """The best `per_application` reviewers of each application (see ReviewerIndex)."""
    index = ReviewerIndex(reviewers, weights)
    return index.top_candidates(
        applications, per_application=per_application, chunk_pairs=chunk_pairs
    )


def _top(key: np.ndarray, n: int) -> np.ndarray:
    """Column indices of the n largest keys of each row (unordered), via a partial sort."""
    size = key.shape[1]
    if n >= size:
        return np.broadcast_to(np.arange(size), key.shape).copy()
    return np.argpartition(key, size - n, axis=1)[:, size - n :]
