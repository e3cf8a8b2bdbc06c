"""Reads for reviewers, scoped to the reviewer who asks."""

from django.db.models import QuerySet

from accounts.models import User
from reviews.models import Assignment


def assignments_of(*, user: User) -> QuerySet[Assignment]:
    """The user's own assignments, newest first, with what the list shows."""
    return (
        Assignment.objects.filter(reviewer__user=user)
        .select_related("application__call__network", "application__institution", "review")
        .order_by("due_at", "-assigned_at")
    )
