"""The application workbench in the admin: filters, the dossier page, choosing reviewers, the
audit export; all scoped to the coordinator's networks and in a fixed number of queries."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from applications.enums import ApplicationStatus
from applications.models import Application
from applications.services.submission import application_submit
from audit.models import AuditEntry
from coordination.admin.workbench import ApplicationAdmin
from reviews.enums import AssignmentSource, AssignmentStatus, ReviewStatus
from reviews.models import Assignment, Review, ReviewerProfile
from tests.applications.conftest import (  # noqa: F401
    applicant,
    call,
    complete,
    draft,
    institution,
    person,
)
from tests.factories import CallFactory, InstitutionFactory, UserFactory, staff_with_mfa

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:applications_application_changelist"


def coordinator_of(network, email="coordinator@jane.example"):
    coordinator = UserFactory(email=email, is_staff=True)
    coordinator.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    network.coordinators.add(coordinator)
    return staff_with_mfa(coordinator)


@pytest.fixture
def coordinator(call):  # noqa: F811
    return coordinator_of(call.network)


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def application_in_review(call, country="IT", scores=(), name=None):  # noqa: F811
    """An application in review with one submitted review per score given."""
    owner = InstitutionFactory(country=country, **({"name": name} if name else {}))
    application = Application.objects.create(
        call=call,
        institution=owner,
        tier_requested="full_member",
        created_by=UserFactory(),
        status=ApplicationStatus.IN_REVIEW,
        submitted_at=timezone.now(),
    )
    for score in scores:
        reviewer = ReviewerProfile.objects.create(user=UserFactory(), country="FR")
        assignment = Assignment.objects.create(
            application=application,
            reviewer=reviewer,
            source=AssignmentSource.ROUTER,
            status=AssignmentStatus.ACCEPTED,
            no_conflict_declared_at=timezone.now(),
        )
        Review.objects.create(
            assignment=assignment,
            status=ReviewStatus.SUBMITTED,
            submitted_at=timezone.now(),
            recommendation="favourable",
            score=score,
        )
    return application


def listed(client, **params):
    response = client.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    return {row.pk for row in response.context["cl"].result_list}


def test_workbench_filters_by_country_group_progress_score_and_disagreement(
    coordinator_client,
    call,  # noqa: F811
):
    call.reviews_per_application = 2
    call.disagreement_threshold = 20
    call.save()
    agreed = application_in_review(call, "IT", scores=[80, 90])
    disputed = application_in_review(call, "NO", scores=[30, 90])
    waiting = application_in_review(call, "FR", scores=[55])
    unreviewed = application_in_review(call, "UA")

    assert listed(coordinator_client, country="IT") == {agreed.pk}
    assert listed(coordinator_client, country_group="eea") == {disputed.pk}
    assert listed(coordinator_client, country_group="associated") == {unreviewed.pk}
    assert listed(coordinator_client, reviews="complete") == {agreed.pk, disputed.pk}
    assert listed(coordinator_client, reviews="none") == {unreviewed.pk}
    assert listed(coordinator_client, score="85-100") == {agreed.pk}
    assert listed(coordinator_client, score="50-70") == {disputed.pk, waiting.pk}
    assert listed(coordinator_client, score="unscored") == {unreviewed.pk}
    assert listed(coordinator_client, disagreement="yes") == {disputed.pk}
    assert disputed.pk not in listed(coordinator_client, disagreement="no")
    # Nonsense in the query string is ignored, not a server error.
    assert len(listed(coordinator_client, score="bogus", country_group="mars")) == 4


def test_workbench_search_finds_by_institution_and_sorts_by_score(
    coordinator_client,
    call,  # noqa: F811
):
    high = application_in_review(call, scores=[92], name="Karolinska Institutet")
    low = application_in_review(call, scores=[40], name="Hospital Clínic")
    assert listed(coordinator_client, q="karolinska") == {high.pk}
    by_score = f"-{ApplicationAdmin.list_display.index('mean_score') + 1}"
    response = coordinator_client.get(reverse(CHANGELIST), {"o": by_score})
    assert [row.pk for row in response.context["cl"].result_list][:2] == [high.pk, low.pk]


def test_workbench_changelist_and_change_page_query_counts_stay_flat(
    coordinator_client,
    call,  # noqa: F811
    count_queries,
):
    """Counted with 1 application and again with 50: the numbers must be the same."""
    first = application_in_review(call, scores=[70, 80])
    change = reverse("admin:applications_application_change", args=[first.pk])

    def counts():
        listing, response = count_queries(lambda: coordinator_client.get(reverse(CHANGELIST)))
        assert response.status_code == 200
        page, response = count_queries(lambda: coordinator_client.get(change))
        assert response.status_code == 200
        return listing, page

    coordinator_client.get(change)  # warm the content-type cache, as any running site has
    with_one = counts()
    for index in range(49):
        application_in_review(call, country=["IT", "FR", "NO"][index % 3], scores=[50, 60])
    assert counts() == with_one


def test_change_page_shows_the_dossier_and_its_documents_open_for_the_coordinator(
    coordinator_client,
    draft,  # noqa: F811
    applicant,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    complete(draft, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=draft, user=applicant)
    response = coordinator_client.get(
        reverse("admin:applications_application_change", args=[draft.pk])
    )
    page = response.content.decode()
    assert "A palliative care unit with a day hospice" in page  # an answer
    assert "Ministero della Salute" in page  # the endorsement
    # The national letter, uploaded with the endorsement, is the call's required letter: never
    # "Missing" beside the file it is.
    documents = page[page.index('id="documents"') : page.index('id="endorsement"')]
    assert "Missing" not in documents
    assert "endorsement.pdf" in documents
    assert "Anna Rossi" in page  # a declaration
    assert "The automatic eligibility check passed." in page  # status history
    assert "application.status" in page  # audit trail
    assert 'name="_save"' not in page  # read-only: changes go through the actions
    document = draft.documents.get(original_name="self-assessment.pdf")
    download = coordinator_client.get(reverse("applications:document", args=[document.public_id]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")


def test_documents_stay_closed_to_a_coordinator_of_another_network(
    client,
    draft,  # noqa: F811
    applicant,  # noqa: F811
):
    complete(draft, applicant)
    other = coordinator_of(CallFactory().network, email="other@jane.example")
    client.force_login(other)
    document = draft.documents.get(original_name="self-assessment.pdf")
    assert (
        client.get(reverse("applications:document", args=[document.public_id])).status_code == 404
    )
    change = reverse("admin:applications_application_change", args=[draft.pk])
    assert client.get(change).status_code in (302, 404)
    reviewers = reverse("admin:applications_application_reviewers", args=[draft.pk])
    assert client.get(reviewers).status_code == 404
    audit = reverse("admin:applications_application_audit_export", args=[draft.pk])
    assert client.get(audit).status_code == 404


def test_coordinator_assigns_then_replaces_a_reviewer_but_never_a_conflicted_one(
    coordinator_client,
    call,  # noqa: F811
):
    application = application_in_review(call, "IT")
    application.status = ApplicationStatus.ELIGIBLE
    application.save()
    chosen = ReviewerProfile.objects.create(user=person("eva@review.example"), country="FR")
    better = ReviewerProfile.objects.create(user=person("omar@review.example"), country="DE")
    conflicted = ReviewerProfile.objects.create(
        user=person("ugo@review.example"), country="IT", institution=application.institution
    )
    url = reverse("admin:applications_application_reviewers", args=[application.pk])
    page = coordinator_client.get(url).content.decode()
    assert "Eva" in page and "Omar" in page and "Ugo" not in page

    # A reason is required; what was chosen stays chosen.
    refused = coordinator_client.post(url, {"reviewer": chosen.pk, "reason": ""})
    assert refused.status_code == 200
    assert refused.context["form"].errors["reason"]
    forged = coordinator_client.post(url, {"reviewer": conflicted.pk, "reason": "Expert"})
    assert forged.context["form"].errors["reviewer"]

    coordinator_client.post(url, {"reviewer": chosen.pk, "reason": "Knows palliative care"})
    assignment = Assignment.objects.get(application=application, reviewer=chosen)
    assert assignment.source == AssignmentSource.COORDINATOR
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    # A second click on the same choice changes nothing and explains why.
    again = coordinator_client.post(url, {"reviewer": chosen.pk, "reason": "Knows palliative"})
    assert again.context["form"].errors["reviewer"]

    coordinator_client.post(
        url, {"reviewer": better.pk, "replacing": assignment.pk, "reason": "Eva is away"}
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.WITHDRAWN
    assert Assignment.objects.get(application=application, reviewer=better).status == (
        AssignmentStatus.PROPOSED
    )
    actions = list(
        AuditEntry.objects.filter(application_id=application.pk).values_list("action", "reason")
    )
    assert ("assignment.created", "Knows palliative care") in actions
    assert ("assignment.created", "Eva is away") in actions
    replaced = AuditEntry.objects.get(
        action="assignment.status", object_id=str(assignment.pk), reason="Eva is away"
    )
    assert replaced.data == {
        "from": AssignmentStatus.PROPOSED,
        "to": AssignmentStatus.WITHDRAWN,
        "reviewer": chosen.pk,
        "replaced_by": better.pk,
    }


def test_audit_export_of_an_application_carries_the_hash_chain(
    coordinator_client,
    draft,  # noqa: F811
    applicant,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    complete(draft, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=draft, user=applicant)
    response = coordinator_client.get(
        reverse("admin:applications_application_audit_export", args=[draft.pk])
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    entries = AuditEntry.objects.filter(application_id=draft.pk).order_by("sequence")
    assert [row["hash"] for row in rows] == [entry.hash for entry in entries]
    assert rows and all(len(row["previous_hash"]) == 64 for row in rows)


def test_reviewer_choice_page_query_count_does_not_grow_with_the_pool(
    coordinator_client,
    call,  # noqa: F811
    count_queries,
):
    application = application_in_review(call, "IT")
    url = reverse("admin:applications_application_reviewers", args=[application.pk])
    ReviewerProfile.objects.create(user=UserFactory(), country="FR")
    coordinator_client.get(url)  # warm the content-type cache
    few, response = count_queries(lambda: coordinator_client.get(url))
    assert len(response.context["form"].fields["reviewer"].choices) == 1
    for _ in range(20):
        ReviewerProfile.objects.create(user=UserFactory(), country="DE")
    many, response = count_queries(lambda: coordinator_client.get(url))
    assert len(response.context["form"].fields["reviewer"].choices) == 21
    assert many == few


def test_assign_action_opens_the_reviewer_choice_for_one_application(
    coordinator_client,
    call,  # noqa: F811
):
    first, second = application_in_review(call, "IT"), application_in_review(call, "FR")
    one = coordinator_client.post(
        reverse(CHANGELIST), {"action": "assign_reviewer", "_selected_action": [first.pk]}
    )
    assert one["Location"] == reverse("admin:applications_application_reviewers", args=[first.pk])
    two = coordinator_client.post(
        reverse(CHANGELIST),
        {"action": "assign_reviewer", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert "Choose one application to assign a reviewer to." in two.content.decode()
