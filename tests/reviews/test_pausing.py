"""Issue 11, defect 1: reopening an application keeps its reviewers. Their assignments pause
(each audited, each reviewer told), keep the reviewer's place, and resume first when the
application is submitted again; routing then fills only the places left."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from accounts import roles
from applications.enums import ApplicationStatus
from applications.models import DeadlineExtension
from applications.services.drafting import application_start
from applications.services.submission import application_submit
from audit.models import AuditEntry
from reviews.enums import AssignmentStatus
from reviews.models import Assignment
from reviews.services.assignments import assignment_accept, assignment_decline
from reviews.services.pausing import assignments_paused_lapse
from tests.applications.conftest import person
from tests.applications.information_requests import close_the_call
from tests.factories import InstitutionFactory, UserFactory
from tests.reviews.reviewers import reviewer, submit
from workflow.review import application_reopen, application_withdraw
from workflow.reviewers import reviewer_choose

pytestmark = pytest.mark.django_db
S = AssignmentStatus


@pytest.fixture
def routed(draft, applicant, call, django_capture_on_commit_callbacks):
    """An application in review with two reviewers, Ada having accepted."""
    call.reviews_per_application = 2
    call.save()
    reviewer("ada@review.example", networks=[call.network])
    reviewer("ben@review.example", networks=[call.network])
    submit(draft, applicant, django_capture_on_commit_callbacks)
    ada = assignment_of(draft, "ada@review.example")
    assignment_accept(assignment=ada, user=ada.reviewer.user, no_conflict=True)
    mail.outbox.clear()
    return draft


def assignment_of(application, email):
    return Assignment.objects.get(application=application, reviewer__user__email=email)


def statuses(application):
    return dict(application.assignments.values_list("reviewer__user__email", "status"))


def changes(assignment):
    return [
        (entry["from"], entry["to"])
        for entry in AuditEntry.objects.filter(
            object_type="reviews.assignment",
            object_id=str(assignment.pk),
            action="assignment.status",
        )
        .order_by("sequence")
        .values_list("data", flat=True)
    ]


def reopen(application, user, capture):
    with capture(execute=True):
        application_reopen(application=application, user=user)
    application.refresh_from_db()


def resubmit(application, user, capture):
    with capture(execute=True):
        application_submit(application=application, user=user)
    application.refresh_from_db()


def test_reopening_pauses_each_assignment_audited_and_tells_each_reviewer(
    routed, applicant, django_capture_on_commit_callbacks
):
    reopen(routed, applicant, django_capture_on_commit_callbacks)

    assert routed.status == ApplicationStatus.DRAFT
    assert statuses(routed) == {"ada@review.example": S.PAUSED, "ben@review.example": S.PAUSED}
    assert changes(assignment_of(routed, "ada@review.example"))[-1] == (S.ACCEPTED, S.PAUSED)
    assert changes(assignment_of(routed, "ben@review.example"))[-1] == (S.PROPOSED, S.PAUSED)
    told = {m.to[0]: m for m in mail.outbox if m.subject.startswith("Paused")}
    assert set(told) == {"ada@review.example", "ben@review.example"}
    assert "your place is kept" in told["ada@review.example"].body


def test_resubmission_gives_the_new_version_to_the_same_reviewers_first(
    routed, applicant, call, django_capture_on_commit_callbacks
):
    reopen(routed, applicant, django_capture_on_commit_callbacks)
    # A better match joins meanwhile: the reviewers of the first version are still asked first.
    reviewer("newcomer@review.example", networks=[call.network], capacity=9)
    mail.outbox.clear()

    resubmit(routed, applicant, django_capture_on_commit_callbacks)

    assert routed.status == ApplicationStatus.IN_REVIEW
    assert statuses(routed) == {"ada@review.example": S.PROPOSED, "ben@review.example": S.PROPOSED}
    ada = assignment_of(routed, "ada@review.example")
    assert changes(ada) == [
        (S.PROPOSED, S.ACCEPTED),
        (S.ACCEPTED, S.PAUSED),
        (S.PAUSED, S.PROPOSED),
    ]
    resumed = {m.to[0] for m in mail.outbox if m.subject.startswith("Resumed")}
    assert resumed == {"ada@review.example", "ben@review.example"}
    # Ada accepts the new version again, declaring again that she has no conflict.
    assignment_accept(assignment=ada, user=ada.reviewer.user, no_conflict=True)
    assert assignment_of(routed, "ada@review.example").status == S.ACCEPTED


def test_routing_fills_only_the_places_left_after_the_resumed_ones(
    routed, applicant, call, django_capture_on_commit_callbacks
):
    reopen(routed, applicant, django_capture_on_commit_callbacks)
    ben = assignment_of(routed, "ben@review.example")
    # A paused reviewer can decline as usual; the application is a draft, so nobody is routed.
    with django_capture_on_commit_callbacks(execute=True):
        assignment_decline(assignment=ben, user=ben.reviewer.user, reason="Leaving on sabbatical")
    assert routed.assignments.count() == 2
    reviewer("cleo@review.example", networks=[call.network])

    resubmit(routed, applicant, django_capture_on_commit_callbacks)

    assert statuses(routed) == {
        "ada@review.example": S.PROPOSED,
        "ben@review.example": S.DECLINED,
        "cleo@review.example": S.PROPOSED,
    }


def test_a_paused_assignment_keeps_the_reviewers_place_in_the_call(
    routed, applicant, call, django_capture_on_commit_callbacks
):
    call.reviews_per_application = 1
    call.save()
    Assignment.objects.filter(reviewer__user__email="ben@review.example").delete()
    ada = assignment_of(routed, "ada@review.example").reviewer
    ada.default_capacity = 1
    ada.save()
    reopen(routed, applicant, django_capture_on_commit_callbacks)
    other = InstitutionFactory(name="Second hospital", country="IT")
    other_applicant = person("second@hospital.example", other)
    second = application_start(
        call=call, institution=other, user=other_applicant, tier_requested="full_member"
    )
    submit(second, other_applicant, django_capture_on_commit_callbacks)

    assert not second.assignments.filter(reviewer=ada).exists()
    resubmit(routed, applicant, django_capture_on_commit_callbacks)
    assert statuses(routed) == {"ada@review.example": S.PROPOSED}


def test_withdrawing_a_reopened_application_ends_its_paused_assignments_and_tells_them(
    routed, applicant, django_capture_on_commit_callbacks
):
    reopen(routed, applicant, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        application_withdraw(application=routed, user=applicant, reason="Merging with another")

    assert statuses(routed) == {
        "ada@review.example": S.WITHDRAWN,
        "ben@review.example": S.WITHDRAWN,
    }
    assert changes(assignment_of(routed, "ada@review.example"))[-1] == (S.PAUSED, S.WITHDRAWN)
    ended = [m for m in mail.outbox if "has ended" in m.subject]
    assert {m.to[0] for m in ended} == {"ada@review.example", "ben@review.example"}
    assert all("Merging with another" in m.body for m in ended)


def test_reopening_twice_tells_the_reviewers_each_time(
    routed, applicant, django_capture_on_commit_callbacks
):
    reopen(routed, applicant, django_capture_on_commit_callbacks)
    resubmit(routed, applicant, django_capture_on_commit_callbacks)
    reopen(routed, applicant, django_capture_on_commit_callbacks)

    paused = [m.to[0] for m in mail.outbox if m.subject.startswith("Paused")]
    assert sorted(paused) == ["ada@review.example"] * 2 + ["ben@review.example"] * 2


def test_a_paused_reviewer_reads_why_on_their_page_and_can_decline_there(
    client, routed, applicant, django_capture_on_commit_callbacks
):
    reopen(routed, applicant, django_capture_on_commit_callbacks)
    ben = assignment_of(routed, "ben@review.example")
    client.force_login(ben.reviewer.user)
    page = client.get(ben.get_absolute_url()).content.decode()
    assert "Your place is kept" in page
    declined = client.post(
        ben.get_absolute_url(), {"decline": "1", "reason": "No longer available"}
    )
    assert declined.status_code == 302
    assert assignment_of(routed, "ben@review.example").status == S.DECLINED


def test_a_reviewer_replaced_by_a_coordinator_is_told(
    routed, call, django_capture_on_commit_callbacks
):
    coordinator = UserFactory()
    coordinator.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    call.network.coordinators.add(coordinator)
    cleo = reviewer("cleo@review.example", networks=[call.network])
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_choose(
            application=routed,
            reviewer=cleo,
            user=coordinator,
            reason="Ben is on leave",
            replacing=assignment_of(routed, "ben@review.example"),
        )
    [ended] = [m for m in mail.outbox if "has ended" in m.subject]
    assert ended.to == ["ben@review.example"]


def test_paused_places_are_given_back_once_the_draft_can_no_longer_be_resubmitted(
    routed, applicant, call, django_capture_on_commit_callbacks
):
    reopen(routed, applicant, django_capture_on_commit_callbacks)
    close_the_call(call)
    # Within an extended deadline the places stay kept.
    extension = DeadlineExtension.objects.create(
        application=routed,
        until=timezone.now() + datetime.timedelta(hours=5),
        reason="Flood",
        granted_by=applicant,
        granted_at=timezone.now(),
    )
    assert assignments_paused_lapse() == 0
    DeadlineExtension.objects.filter(pk=extension.pk).update(
        until=timezone.now() - datetime.timedelta(minutes=1)
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert assignments_paused_lapse() == 2
    assert assignments_paused_lapse() == 0

    assert statuses(routed) == {
        "ada@review.example": S.WITHDRAWN,
        "ben@review.example": S.WITHDRAWN,
    }
    assert changes(assignment_of(routed, "ben@review.example"))[-1] == (S.PAUSED, S.WITHDRAWN)
    assert {m.to[0] for m in mail.outbox if "has ended" in m.subject} == {
        "ada@review.example",
        "ben@review.example",
    }
