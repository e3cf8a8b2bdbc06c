"""Reviewers and routed applications for the reviews tests, built through the real services."""

from applications.services.submission import application_submit
from reviews.models import ReviewerProfile
from tests.applications.conftest import complete, person


def reviewer(email, *, country="FR", institution=None, capacity=5, networks=(), topics=()):
    """An active reviewer reading English, free to take `capacity` applications."""
    profile = ReviewerProfile.objects.create(
        user=person(email),
        country=country,
        institution=institution,
        default_capacity=capacity,
        languages=["en"],
    )
    profile.networks.set(networks)
    profile.topics.set(topics)
    return profile


def submit(application, user, capture):
    """Complete and submit an application, running the routing queued on commit."""
    complete(application, user)
    with capture(execute=True):
        application_submit(application=application, user=user)
    application.refresh_from_db()
    return application
