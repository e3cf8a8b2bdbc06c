"""Issue 11: a reviewer is told when a coordinator or the portal ends their assignment."""

import pytest
from django.core import mail

from applications.enums import ApplicationStatus
from reviews.enums import AssignmentSource, AssignmentStatus
from reviews.models import Assignment, ReviewerProfile
from reviews.services.assignments import assignment_choose
from tests.admin.test_application_workbench import application_in_review, coordinator_of
from tests.applications.conftest import call, person  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_replaced_reviewer_is_told_and_not_the_coordinators_reason(
    call,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    application = application_in_review(call, "IT")
    eva = ReviewerProfile.objects.create(user=person("eva@review.example"), country="FR")
    omar = ReviewerProfile.objects.create(user=person("omar@review.example"), country="DE")
    replaced = Assignment.objects.create(
        application=application, reviewer=eva, source=AssignmentSource.ROUTER
    )
    coordinator = coordinator_of(call.network)

    with django_capture_on_commit_callbacks(execute=True):
        assignment_choose(
            application=application,
            reviewer=omar,
            user=coordinator,
            reason="Eva is slow",
            replacing=replaced,
        )

    replaced.refresh_from_db()
    assert replaced.status == AssignmentStatus.WITHDRAWN
    [ended] = [m for m in mail.outbox if m.to == ["eva@review.example"]]
    assert "has ended" in ended.subject
    assert "gave the application to another reviewer" in ended.body
    assert "Eva is slow" not in ended.body
    assert [m.to for m in mail.outbox if "has ended" in m.subject] == [["eva@review.example"]]
    assert application.status == ApplicationStatus.IN_REVIEW
