"""From the database to the assignment problem: who may review what, how well, with what room.

Conflicts of interest are tags shared by an application and a reviewer (see
`reviews.assignment.instance`): the same institution, the same parent group, a declared
conflict, acting for the applicant in the portal, and the same country where the call says so.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from accounts.models import Affiliation
from applications.models import Application
from calls.models import Call
from networks.models import Institution
from reviews.assignment import ApplicationProfile
from reviews.assignment import ReviewerProfile as ReviewerFeatures
from reviews.enums import PLACE_HELD
from reviews.models import ConflictDeclaration, ReviewerCapacity, ReviewerProfile

MAX_PARENT_DEPTH = 5


def group_ids(institution_ids: set[int]) -> dict[int, int]:
    """The top of each institution's parent chain (a unit's hospital), itself if it has none."""
    parents: dict[int, int | None] = {}
    wanted = set(institution_ids)
    for _ in range(MAX_PARENT_DEPTH):
        wanted -= parents.keys()
        if not wanted:
            break
        rows = Institution.objects.filter(pk__in=wanted).values_list("pk", "parent_id")
        parents.update(rows)
        wanted = {parent for _pk, parent in rows if parent is not None}
    top = {}
    for institution_id in institution_ids:
        current, seen = institution_id, 0
        while parents.get(current) is not None and seen < MAX_PARENT_DEPTH:
            current, seen = parents[current], seen + 1
        top[institution_id] = current
    return top


def _institution_keys(institution_id: int, groups: dict[int, int]) -> set[str]:
    return {f"institution:{institution_id}", f"group:{groups.get(institution_id, institution_id)}"}


def application_features(
    application: Application, *, groups: dict[int, int] | None = None
) -> ApplicationProfile:
    """What matching and conflict checks look at in an application.

    Reads topics through `.all()`, so a prefetch serves a whole call; `groups` (from
    `group_ids`) likewise saves the parent-chain lookup when many applications are read at once.
    """
    if groups is None:
        groups = group_ids({application.institution_id})
    keys = _institution_keys(application.institution_id, groups)
    if application.call.exclude_same_country_reviewers:
        keys.add(f"country:{application.institution.country.code}")
    return ApplicationProfile(
        id=application.pk,
        network=application.call.network_id,
        topics=frozenset(topic.pk for topic in application.topics.all()),
        keywords=frozenset(application.keywords),
        languages=frozenset({"en"}),
        conflict_keys=frozenset(keys),
    )


@dataclass(frozen=True)
class PoolMember:
    features: ReviewerFeatures
    room: int  # reviews the reviewer can still take in this call
    load: int  # reviews the reviewer already has in this call


def reviewer_pool(*, call: Call, today: datetime.date) -> list[PoolMember]:
    """Active, available reviewers with their load and the room left in this call."""
    reviewers = list(
        ReviewerProfile.objects.filter(is_active=True)
        .filter(Q(available_from__isnull=True) | Q(available_from__lte=today))
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=today))
        .annotate(
            in_call=Count(
                "assignments",
                filter=Q(
                    assignments__application__call=call,
                    assignments__status__in=PLACE_HELD,
                ),
            )
        )
        .prefetch_related("networks", "topics")
        .order_by("pk")
    )
    capacities = dict(
        ReviewerCapacity.objects.filter(call=call).values_list("reviewer_id", "capacity")
    )
    declared = defaultdict(set)
    for reviewer_id, institution_id in ConflictDeclaration.objects.filter(
        reviewer__in=reviewers
    ).values_list("reviewer_id", "institution_id"):
        declared[reviewer_id].add(institution_id)
    acting_for = defaultdict(set)
    for user_id, institution_id in Affiliation.objects.filter(
        user__in=[reviewer.user_id for reviewer in reviewers]
    ).values_list("user_id", "institution_id"):
        acting_for[user_id].add(institution_id)
    ties = {
        institution_id
        for reviewer in reviewers
        for institution_id in [reviewer.institution_id, *acting_for[reviewer.user_id]]
        if institution_id is not None
    }
    groups = group_ids(ties | {i for ids in declared.values() for i in ids})

    pool = []
    for reviewer in reviewers:
        keys = {f"country:{reviewer.country.code}"}
        for institution_id in {reviewer.institution_id, *acting_for[reviewer.user_id]} - {None}:
            keys |= _institution_keys(institution_id, groups)
        for institution_id in declared[reviewer.pk]:
            keys.add(f"institution:{institution_id}")
            if groups.get(institution_id) == institution_id:
                # A conflict declared with a hospital covers its units too.
                keys.add(f"group:{institution_id}")
        features = ReviewerFeatures(
            id=reviewer.pk,
            networks=frozenset(network.pk for network in reviewer.networks.all()),
            topics=frozenset(topic.pk for topic in reviewer.topics.all()),
            keywords=frozenset(reviewer.keywords),
            languages=frozenset(reviewer.languages),
            conflict_keys=frozenset(keys),
        )
        room = capacities.get(reviewer.pk, reviewer.default_capacity) - reviewer.in_call
        pool.append(PoolMember(features=features, room=max(room, 0), load=reviewer.in_call))
    return pool
