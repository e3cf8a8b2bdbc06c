"""Who reviews what: affinity, conflict-free routing and optimal batch assignment, in plain Python.

No Django here: the services of the reviews app build an `Instance` from the database, call one
of these functions and write the result back.

- `affinity`, `has_conflict`: how well a reviewer fits an application, one pair at a time;
  `top_candidates` / `ReviewerIndex`: the best reviewers of many applications, vectorised.
- `route_application`: reviewers for one application, on submission or after a decline.
- `route_in_order`: the router applied to a whole call in submission order.
- `assign_batch`: the whole call at once, as a min-cost flow (OR-Tools); `assign_call` does
  it from the profiles, computing affinities and candidate lists on the way.
- `solve_exact`: the provably best assignment of a small instance, to check the others against;
  `dual_upper_bound`: a certified ceiling on the best total affinity of a large one.
"""

from .affinity import (
    DEFAULT_WEIGHTS,
    AffinityWeights,
    Candidates,
    ReviewerIndex,
    affinity,
    has_conflict,
    jaccard,
    top_candidates,
)
from .batch import (
    BATCH_BALANCE,
    DEFAULT_MIN_AFFINITY_SHARE,
    DEFAULT_SCALE,
    assign_batch,
    assign_call,
)
from .exact import dual_upper_bound, solve_exact
from .instance import (
    ApplicationId,
    ApplicationProfile,
    Instance,
    Result,
    ReviewerId,
    ReviewerProfile,
    explain_shortfall,
    normalise_keywords,
)
from .router import ROUTER_BALANCE, Route, route_application, route_in_order

__all__ = [
    "BATCH_BALANCE",
    "DEFAULT_MIN_AFFINITY_SHARE",
    "DEFAULT_SCALE",
    "DEFAULT_WEIGHTS",
    "ROUTER_BALANCE",
    "AffinityWeights",
    "ApplicationId",
    "ApplicationProfile",
    "Candidates",
    "Instance",
    "Result",
    "ReviewerId",
    "ReviewerIndex",
    "ReviewerProfile",
    "Route",
    "affinity",
    "assign_batch",
    "assign_call",
    "dual_upper_bound",
    "explain_shortfall",
    "has_conflict",
    "jaccard",
    "normalise_keywords",
    "route_application",
    "route_in_order",
    "solve_exact",
    "top_candidates",
]
