"""Reads for a call's ranking: applications by weighted score, and the network's composition if a
selection of them were accepted. Each read runs a fixed number of queries, whatever the call's size.

`scores` reads the reviews' weighted scores, `ordering` ranks the applications and picks a
selection, `composition` shows the network as that selection would make it.
"""

from coordination.ranking.composition import (
    Composition,
    CountLine,
    CountryLine,
    Effect,
    Member,
    call_countries,
    network_composition,
)
from coordination.ranking.ordering import (
    RANKED_STATUSES,
    RankedApplication,
    call_ranking,
    calls_coordinated_by,
    ranking_selection,
)
from coordination.ranking.scores import ReviewScores, call_criteria, review_scores

__all__ = [
    "RANKED_STATUSES",
    "Composition",
    "CountLine",
    "CountryLine",
    "Effect",
    "Member",
    "RankedApplication",
    "ReviewScores",
    "call_countries",
    "call_criteria",
    "call_ranking",
    "calls_coordinated_by",
    "network_composition",
    "ranking_selection",
    "review_scores",
]
