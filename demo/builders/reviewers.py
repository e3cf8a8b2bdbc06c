"""A pool of demo reviewers: expertise across the networks and topics, from many countries."""

import random

from django.contrib.auth import get_user_model

from networks.models import Institution, Network, Topic
from reviews.models import ReviewerProfile

REVIEWER_COUNT = 60
LANGUAGES = ["en", "fr", "de", "it", "es", "pl", "nl", "pt", "sv"]


def reviewers_create(*, seed: int, networks: list[Network]) -> int:
    """Create the demo reviewer pool; each reviewer works at a demo institution (a conflict)."""
    rng = random.Random(seed + 7)
    User = get_user_model()
    topics = list(Topic.objects.order_by("pk"))
    institutions = list(Institution.objects.order_by("pk").only("pk", "country"))
    created = 0
    for number in range(1, REVIEWER_COUNT + 1):
        email = f"reviewer{number:02d}@demo.jane.eu"
        user, _new = User.objects.get_or_create(
            email=email, defaults={"name": f"Demo reviewer {number:02d}"}
        )
        user.set_unusable_password()  # a pool for routing; only reviewer@ signs in
        user.save(update_fields=["password"])
        institution = rng.choice(institutions)
        profile, new = ReviewerProfile.objects.get_or_create(
            user=user,
            defaults={
                "country": institution.country,
                "institution": institution,
                "languages": sorted({"en", *rng.sample(LANGUAGES, 2)}),
                "keywords": [],
                "default_capacity": rng.choice([5, 8, 10, 12, 15]),
            },
        )
        if new:
            profile.networks.set(rng.sample(networks, rng.choice([1, 1, 2])))
            profile.topics.set(rng.sample(topics, rng.randint(2, 5)))
            created += 1
    return created


def demo_reviewer_profile_ensure(user) -> ReviewerProfile:
    """The demo reviewer account reviews for every network."""
    profile, _new = ReviewerProfile.objects.get_or_create(
        user=user, defaults={"country": "BE", "languages": ["en", "fr"], "default_capacity": 10}
    )
    profile.networks.set(Network.objects.all())
    return profile
