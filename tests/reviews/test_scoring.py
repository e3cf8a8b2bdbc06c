"""Which reviews count towards an application's score: one rule, for the database and in Python."""

import pytest

from reviews.enums import AssignmentStatus, ReviewStatus
from reviews.models import Assignment, Review
from reviews.scoring import counted_reviews, review_counts
from tests.factories import ApplicationFactory, AssignmentFactory

pytestmark = pytest.mark.django_db


def test_the_filter_and_the_check_on_loaded_rows_count_the_same_reviews():
    application = ApplicationFactory(status="in_review")
    expected = set()
    for status in AssignmentStatus:
        for review_status in [None, *ReviewStatus]:
            assignment = AssignmentFactory(
                application=application,
                status=status,
                no_conflict_declared_at=None
                if status == AssignmentStatus.PROPOSED
                else "2026-01-01T00:00Z",
            )
            if review_status is not None:
                Review.objects.create(
                    assignment=assignment,
                    status=review_status,
                    submitted_at="2026-01-02T00:00Z" if review_status == "submitted" else None,
                    recommendation="favourable" if review_status == "submitted" else "",
                )
            if status == AssignmentStatus.ACCEPTED and review_status == ReviewStatus.SUBMITTED:
                expected.add(assignment.pk)

    in_database = set(
        Assignment.objects.filter(counted_reviews(), application=application).values_list(
            "pk", flat=True
        )
    )
    from_application = set(
        type(application)
        .objects.filter(counted_reviews("assignments__"), pk=application.pk)
        .values_list("assignments", flat=True)
    )
    in_python = {
        a.pk
        for a in Assignment.objects.filter(application=application).select_related("review")
        if review_counts(a)
    }

    assert in_database == from_application == in_python == expected
