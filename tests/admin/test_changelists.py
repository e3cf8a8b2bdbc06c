"""Every admin changelist loads, and its query count does not grow with its rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from calls.services import call_suspend, criteria_set_lock
from networks.models import Network, TaskForce
from tests.admin.coordinator_worlds import coordinator_of
from tests.factories import (
    CallFactory,
    CriteriaSectionFactory,
    CriteriaSetFactory,
    CriterionFactory,
    InstitutionFactory,
    MembershipFactory,
    NetworkFactory,
    RequiredDocumentFactory,
    UserFactory,
    WorkPackageFactory,
    staff_with_mfa,
)

pytestmark = pytest.mark.django_db


def suspended_call():
    call = CallFactory()
    now = timezone.now()
    call_suspend(
        call=call,
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(days=1),
        reason="Pause",
    )


def certified_unit():
    unit = InstitutionFactory(parent=InstitutionFactory())
    unit.certifications.create(body="oeci", title="CCC", valid_from=datetime.date(2024, 1, 1))


def locked_criterion():
    criterion = CriterionFactory()
    criteria_set_lock(criteria_set=criterion.section.criteria_set)


def application():
    from applications.models import Application

    return Application.objects.create(
        call=CallFactory(),
        institution=InstitutionFactory(),
        tier_requested="full_member",
        created_by=UserFactory(),
    )


def application_history():
    from django.core.files.base import ContentFile

    from applications.models import ApplicationDocument, Declaration, Endorsement, Submission

    app = application()
    user = app.created_by
    app.status_changes.create(from_status="", to_status="draft", actor=user)
    Submission.objects.create(
        application=app,
        number=1,
        submitted_at=timezone.now(),
        submitted_by=user,
        content={},
        checksum="0" * 64,
    )
    document = ApplicationDocument(
        application=app,
        purpose="endorsement",
        original_name="letter.pdf",
        format="pdf",
        extension="pdf",
        content_type="application/pdf",
        size=4,
        sha256="0" * 64,
        uploaded_by=user,
    )
    document.file.save("letter.pdf", ContentFile(b"%PDF"), save=False)
    document.save()
    Endorsement.objects.create(
        application=app, issuing_authority="Ministry", issued_on="2026-01-01"
    )
    Declaration.objects.create(
        application=app,
        kind="director",
        full_name="A B",
        position="Director",
        signed_on="2026-01-01",
        confirmed=True,
        confirmed_by=user,
    )


def reviewing():
    from reviews.models import (
        Assignment,
        ConflictDeclaration,
        ConsensusNote,
        Review,
        ReviewerCapacity,
        ReviewerProfile,
        RoutingEvent,
        RoutingRun,
    )

    app = application()
    reviewer = ReviewerProfile.objects.create(
        user=UserFactory(), country="FR", institution=InstitutionFactory()
    )
    ReviewerCapacity.objects.create(reviewer=reviewer, call=app.call, capacity=3)
    ConflictDeclaration.objects.create(
        reviewer=reviewer, institution=InstitutionFactory(), reason="x"
    )
    assignment = Assignment.objects.create(application=app, reviewer=reviewer, source="router")
    Review.objects.create(assignment=assignment)
    ConsensusNote.objects.create(application=app, author=reviewer, text="Agreed")
    RoutingEvent.objects.create(application=app, message="Assigned 1 reviewer.")
    RoutingRun.objects.create(call=app.call, created_by=reviewer.user)


def people():
    from accounts.models import Affiliation, Invitation, JoinRequest
    from notifications.models import SentNotification

    institution, user = InstitutionFactory(), UserFactory()
    Affiliation.objects.create(user=user, institution=institution, role="representative")
    Invitation.objects.create(
        institution=institution,
        email=f"x{user.pk}@example.org",
        role="deputy",
        invited_by=user,
        expires_at=timezone.now(),
    )
    JoinRequest.objects.create(user=UserFactory(), institution=institution)
    SentNotification.objects.create(
        kind="invitation", object_id=user.pk, recipient=user.email, subject="Hi"
    )


def outbox_item():
    from outbox.services import outbox_enqueue

    outbox_enqueue(
        kind="notifications.email",
        key=f"email:invitation:{UserFactory().pk}:x@example.org",
        payload={"kind": "invitation", "object_id": 1, "recipient": "x@example.org"},
    )


def board_rows():
    """A proposed decision with the network's opinion, in a call with decision rules."""
    from decisions.models import CallDecisionRules, Opinion
    from tests.board.conftest import proposed

    call, proposer = CallFactory(), UserFactory()
    CallDecisionRules.objects.create(call=call).panel.add(UserFactory())
    application = proposed(call, f"Hospital {call.pk}", proposer=proposer)
    Opinion.objects.create(
        application=application,
        favourable=True,
        reasons="Good.",
        given_by=proposer,
        given_at=timezone.now(),
    )


# changelist URL name -> how to add one more row of it
CHANGELISTS = {
    "admin:accounts_user_changelist": UserFactory,
    "admin:networks_institution_changelist": certified_unit,
    "admin:networks_certification_changelist": certified_unit,
    "admin:networks_workpackage_changelist": lambda: WorkPackageFactory(
        lead_institution=InstitutionFactory(), co_lead_institution=InstitutionFactory()
    ),
    "admin:networks_taskforce_changelist": lambda: TaskForce.objects.create(
        title=f"Task force {TaskForce.objects.count()}", work_package=WorkPackageFactory()
    ),
    "admin:networks_network_changelist": lambda: MembershipFactory(
        network=Network.objects.order_by("?").first()
    ),
    "admin:networks_membership_changelist": MembershipFactory,
    "admin:calls_call_changelist": suspended_call,
    "admin:calls_criteriaset_changelist": locked_criterion,
    "admin:calls_criteriasection_changelist": locked_criterion,
    "admin:calls_criterion_changelist": locked_criterion,
    "admin:calls_suspensionperiod_changelist": suspended_call,
    "admin:calls_requireddocument_changelist": RequiredDocumentFactory,
    "admin:applications_application_changelist": application_history,
    "admin:applications_applicationdocument_changelist": application_history,
    "admin:applications_submission_changelist": application_history,
    "admin:applications_endorsement_changelist": application_history,
    "admin:applications_declaration_changelist": application_history,
    "admin:accounts_affiliation_changelist": people,
    "admin:accounts_invitation_changelist": people,
    "admin:accounts_joinrequest_changelist": people,
    "admin:notifications_sentnotification_changelist": people,
    "admin:reviews_reviewerprofile_changelist": reviewing,
    "admin:reviews_reviewercapacity_changelist": reviewing,
    "admin:reviews_conflictdeclaration_changelist": reviewing,
    "admin:reviews_assignment_changelist": reviewing,
    "admin:reviews_review_changelist": reviewing,
    "admin:reviews_consensusnote_changelist": reviewing,
    "admin:reviews_routingevent_changelist": reviewing,
    "admin:reviews_routingrun_changelist": reviewing,
    "admin:outbox_outboxitem_changelist": outbox_item,
    "admin:decisions_proposal_changelist": board_rows,
    "admin:decisions_opinion_changelist": board_rows,
    "admin:decisions_calldecisionrules_changelist": board_rows,
    "admin:decisions_letter_changelist": board_rows,
}


@pytest.fixture
def superuser_client(client):
    client.force_login(staff_with_mfa(UserFactory(is_staff=True, is_superuser=True)))
    return client


@pytest.mark.parametrize(("url_name", "add_row"), CHANGELISTS.items())
def test_admin_changelist_query_count_does_not_grow_with_rows(
    superuser_client, count_queries, url_name, add_row
):
    url = reverse(url_name)
    add_row()
    few, response = count_queries(lambda: superuser_client.get(url))
    assert response.status_code == 200
    for _ in range(4):
        add_row()
    many, response = count_queries(lambda: superuser_client.get(url))
    assert response.status_code == 200
    assert many == few


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_admin_changelist_search_and_filters_never_fail(superuser_client, url_name):
    url = reverse(url_name)
    response = superuser_client.get(url, {"q": "%' OR 1=1 --", "country_group": "nonsense"})
    assert response.status_code in (200, 302)


# The changelists scoped to a coordinator's networks, read by a coordinator: the scope (shared
# sets included) and the network filter cost a fixed number of queries too.


def omics():
    return Network.objects.get(slug="omics")


def omics_criterion():
    criteria_set = CriteriaSetFactory(network=omics())
    criterion = CriterionFactory(section=CriteriaSectionFactory(criteria_set=criteria_set))
    CriterionFactory(section=CriteriaSectionFactory(criteria_set=CriteriaSetFactory()))  # shared
    criteria_set_lock(criteria_set=criterion.section.criteria_set)


def omics_assignment():
    from reviews.models import Assignment, ReviewerProfile

    app = application()
    app.call.network = omics()
    app.call.save(update_fields=["network"])
    reviewer = ReviewerProfile.objects.create(user=UserFactory(), country="FR")
    reviewer.networks.add(omics(), NetworkFactory())
    Assignment.objects.create(application=app, reviewer=reviewer, source="router")


COORDINATOR_CHANGELISTS = {
    "admin:calls_criteriaset_changelist": omics_criterion,
    "admin:calls_criteriasection_changelist": omics_criterion,
    "admin:calls_criterion_changelist": omics_criterion,
    "admin:reviews_assignment_changelist": omics_assignment,
    "admin:reviews_reviewerprofile_changelist": omics_assignment,
}


@pytest.mark.parametrize(("url_name", "add_row"), COORDINATOR_CHANGELISTS.items())
def test_coordinator_changelist_query_count_does_not_grow_with_rows(
    client, count_queries, url_name, add_row
):
    client.force_login(coordinator_of(omics()))
    url = reverse(url_name)
    add_row()
    few, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= 1
    for _ in range(4):
        add_row()
    many, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= 5
    assert many == few
