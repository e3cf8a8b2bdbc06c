"""Reads of applications, scoped to who asks, each in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from applications.models import (
    Application,
    ApplicationDocument,
)
from calls.models import CriteriaSection


def applications_of(*, user: User) -> QuerySet[Application]:
    """Applications of the institutions the user acts for, with what their pages show."""
    return (
        Application.objects.filter(institution__affiliations__user=user)
        .select_related(
            "call__network",
            "call__criteria_set",
            "institution",
            "representative",
            "deputy",
            "endorsement",
            "deadline_extension",
        )
        .prefetch_related(
            "call__suspensions",
            "call__required_documents",
            Prefetch(
                "call__criteria_set__sections",
                queryset=CriteriaSection.objects.prefetch_related("criteria"),
            ),
            "answers",
            "topics",
            Prefetch(
                "documents",
                queryset=ApplicationDocument.objects.select_related("uploaded_by"),
            ),
            "declarations",
            "status_changes__actor",
            "submissions",
        )
        .order_by("-created_at")
    )
