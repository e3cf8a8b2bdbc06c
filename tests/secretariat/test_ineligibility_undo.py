"""Issue 11, defect 4: a ruling of ineligibility can be undone, by a coordinator with a reason
from the admin workbench, or on the applicant's request for a review of it; the application is
then routed as usual. Every change goes through the transition table and is audited."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.services.eligibility import application_ineligibility_undo
from audit.models import AuditEntry
from decisions.enums import RedressOutcome
from decisions.models import RedressRequest
from decisions.services.redress import redress_request_submit
from tests.factories import NetworkFactory
from tests.reviews.reviewers import reviewer
from tests.secretariat.people import act, coordinator_of, outsiders
from workflow.decision import redress_decide
from workflow.review import application_rule_ineligible

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(call):
    return coordinator_of(call.network, "carla@network.example")


@pytest.fixture
def ineligible(submitted, coordinator):
    reviewer("ada@review.example", networks=[submitted.call.network])
    application_rule_ineligible(
        application=submitted, user=coordinator, reason="No national endorsement"
    )
    submitted.refresh_from_db()
    return submitted


def last_status_audit(application):
    return (
        AuditEntry.objects.filter(action="application.status", application=application)
        .order_by("-sequence")
        .first()
    )


@pytest.mark.parametrize(
    "to_status", [ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE], ids=["recheck", "rule"]
)
def test_a_coordinator_brings_an_ineligible_application_back_and_it_is_routed(
    ineligible, coordinator, to_status, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application_ineligibility_undo(
            application=ineligible,
            user=coordinator,
            reason="The endorsement letter arrived by post",
            to_status=to_status,
        )

    ineligible.refresh_from_db()
    assert ineligible.status == ApplicationStatus.IN_REVIEW
    assert ineligible.assignments.filter(status="proposed").count() == 1
    back = ineligible.status_changes.get(from_status=ApplicationStatus.INELIGIBLE)
    assert (back.to_status, back.actor, back.reason) == (
        to_status,
        coordinator,
        "The endorsement letter arrived by post",
    )
    entries = AuditEntry.objects.filter(
        action="application.status", application=ineligible, actor=coordinator
    ).values_list("data", flat=True)
    assert {"from": "ineligible", "to": str(to_status)} in list(entries)


def test_undoing_needs_a_reason_and_a_coordinator_of_the_network(ineligible, applicant):
    with pytest.raises(ValidationError):
        application_ineligibility_undo(
            application=ineligible,
            user=coordinator_of(ineligible.call.network),
            reason="  ",
            to_status=ApplicationStatus.SUBMITTED,
        )
    for user in (applicant, coordinator_of(NetworkFactory())):
        with pytest.raises(PermissionDenied):
            application_ineligibility_undo(
                application=ineligible,
                user=user,
                reason="Because",
                to_status=ApplicationStatus.SUBMITTED,
            )
    ineligible.refresh_from_db()
    assert ineligible.status == ApplicationStatus.INELIGIBLE


def test_only_an_ineligible_application_can_be_brought_back(submitted, coordinator):
    with pytest.raises(ValidationError):
        application_ineligibility_undo(
            application=submitted,
            user=coordinator,
            reason="Why",
            to_status=ApplicationStatus.SUBMITTED,
        )


def test_the_workbench_action_asks_the_reason_then_brings_it_back(
    client, ineligible, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    asked = act(client, "undo_ineligibility", [ineligible])
    assert asked.status_code == 200
    assert "Bring the application back as" in asked.content.decode()

    missing = act(client, "undo_ineligibility", [ineligible], confirm="1", to_status="submitted")
    assert missing.status_code == 400
    assert "Give the reason the ruling is undone." in missing.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        done = act(
            client,
            "undo_ineligibility",
            [ineligible],
            confirm="1",
            to_status="eligible",
            reason="Overruled after a call with the ministry",
        )
    assert done.status_code == 302
    ineligible.refresh_from_db()
    assert ineligible.status == ApplicationStatus.IN_REVIEW
    assert last_status_audit(ineligible).data == {"from": "eligible", "to": "in_review"}


@pytest.mark.parametrize(
    "who", ["anonymous", "applicant", "reviewer", "observer", "coordinator of another network"]
)
def test_nobody_else_can_undo_a_ruling_of_ineligibility(client, ineligible, applicant, who):
    user = outsiders(applicant)[who]
    if user is not None:
        client.force_login(user)
    act(
        client,
        "undo_ineligibility",
        [ineligible],
        confirm="1",
        to_status="eligible",
        reason="Let me in",
    )
    ineligible.refresh_from_db()
    assert ineligible.status == ApplicationStatus.INELIGIBLE


def test_the_applicant_asks_for_a_review_of_the_ruling_and_a_revision_brings_it_back(
    client, ineligible, applicant, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    page = client.get(ineligible.get_absolute_url()).content.decode()
    assert "The application was ruled ineligible" in page
    assert "No national endorsement" in page
    assert "Ask for a review of the ruling" in page
    form = client.get(reverse("decisions:redress", args=[ineligible.public_id]))
    assert form.status_code == 200
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("decisions:redress", args=[ineligible.public_id]),
            {"reasons": "Our ministry endorsed us on 3 March; the letter is attached."},
        )
    assert sent.status_code == 302
    redress = RedressRequest.objects.get(application=ineligible)
    assert redress.letter is None and redress.ruling.to_status == ApplicationStatus.INELIGIBLE
    [asked] = [m for m in mail.outbox if m.to == ["carla@network.example"]]
    assert "review of the ruling that its application" in asked.body
    again = client.post(
        reverse("decisions:redress", args=[ineligible.public_id]), {"reasons": "Again"}
    )
    assert again.status_code == 302 and RedressRequest.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        redress_decide(
            redress=redress,
            user=coordinator,
            outcome=RedressOutcome.REVISED,
            reason="The endorsement was on time",
        )
    ineligible.refresh_from_db()
    assert ineligible.status == ApplicationStatus.IN_REVIEW
    told = [m for m in mail.outbox if m.to[0] == applicant.email and "eligible again" in m.body]
    assert told


def test_an_upheld_ruling_stays_and_a_review_cannot_be_asked_twice(
    ineligible, applicant, coordinator
):
    redress = redress_request_submit(application=ineligible, user=applicant, reasons="Unfair")
    with pytest.raises(ValidationError):
        redress_request_submit(application=ineligible, user=applicant, reasons="Unfair")
    redress_decide(
        redress=redress, user=coordinator, outcome=RedressOutcome.UPHELD, reason="Still missing"
    )
    ineligible.refresh_from_db()
    assert ineligible.status == ApplicationStatus.INELIGIBLE


def test_the_admin_shows_a_request_for_review_of_a_ruling(
    client, ineligible, applicant, coordinator
):
    redress = redress_request_submit(application=ineligible, user=applicant, reasons="Unfair")
    client.force_login(coordinator)
    page = client.get(reverse("admin:decisions_redressrequest_change", args=[redress.pk]))
    assert page.status_code == 200
    assert "the ruling of ineligibility of" in page.content.decode()
