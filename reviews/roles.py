"""Reviewers, declared for the two-factor requirement (accounts/second_factor.py): anyone with a
reviewer profile or in the reviewers' group."""

from django.db.models import Exists, OuterRef

from accounts import roles
from accounts.second_factor import group_member, role_register
from reviews.models import ReviewerProfile


def register() -> None:
    role_register(
        "reviewer",
        lambda: (
            Exists(ReviewerProfile.objects.filter(user=OuterRef("pk")))
            | group_member(roles.REVIEWERS)
        ),
    )
