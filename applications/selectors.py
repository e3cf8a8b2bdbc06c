"""Reads of applications, scoped to who asks, each in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from accounts.models import Affiliation, User
from applications.enums import ApplicationStatus
from applications.models import (
    Answer,
    Application,
    ApplicationDocument,
    StatusChange,
)
from calls.models import CriteriaSection


def _institutions_of(user: User) -> list[int]:
    """The institutions the user acts for, read on their own. Joined into the lists' query
    instead, the affiliations made it an eighth relation, and PostgreSQL spent several times
    longer choosing the plan of the eight-way join than reading its few rows."""
    return list(Affiliation.objects.filter(user=user).values_list("institution_id", flat=True))


def applications_of(*, user: User) -> QuerySet[Application]:
    """Applications of the institutions the user acts for, with what their pages show."""
    return (
        Application.objects.filter(institution__in=_institutions_of(user))
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


def applications_listed_for(*, user: User) -> QuerySet[Application]:
    """The user's applications for "My applications", one page at a time: only what the list
    shows (call, deadline, status, timeline and, for drafts, what is still missing), in a fixed
    number of queries per page. Answers and documents are fetched for drafts only: nothing else
    on the list reads them."""
    drafts_only = {"application__status": ApplicationStatus.DRAFT}
    return (
        Application.objects.filter(institution__in=_institutions_of(user))
        .select_related(
            "call__network",
            "call__criteria_set",
            "institution",
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
            Prefetch("answers", queryset=Answer.objects.filter(**drafts_only)),
            Prefetch("documents", queryset=ApplicationDocument.objects.filter(**drafts_only)),
            "declarations",
            # Each change with its actor in one query, not a second one for the actors.
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("actor")),
        )
        .order_by("-created_at", "-pk")
    )
