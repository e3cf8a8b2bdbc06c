"""The workbench and the ranking show one weighted score per application: the one each review
keeps when it is saved (Review.score), over the same counted reviews."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from calls.models import Criterion
from calls.services import criteria_set_lock
from reviews.enums import AssignmentStatus
from reviews.services.reviewing import review_save
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    CallFactory,
    CriteriaSectionFactory,
    CriterionFactory,
    InstitutionFactory,
    UserFactory,
    staff_with_mfa,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    """Weights 2 (scale 0-5) and 1 (scale 0-10), and a criterion that is not scored."""
    call = CallFactory(title="Score call", reviews_per_application=3)
    section = CriteriaSectionFactory(criteria_set=call.criteria_set)
    CriterionFactory(section=section, code="A", weight=2, score_min=0, score_max=5, position=1)
    CriterionFactory(section=section, code="B", weight=1, score_min=0, score_max=10, position=2)
    CriterionFactory(section=section, code="T", weight=0, position=3)
    # Submitting the first application locks the set, as application_submit does.
    criteria_set_lock(criteria_set=call.criteria_set)
    return call


@pytest.fixture
def coordinator_client(client, call):
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    call.network.coordinators.add(coordinator)
    client.force_login(staff_with_mfa(coordinator))
    return client


def reviewed(call, name, reviews):
    """An application in review with a review submitted through review_save per (A, B)."""
    application = ApplicationFactory(
        call=call, institution=InstitutionFactory(name=name), status="in_review"
    )
    a, b = (Criterion.objects.get(section__criteria_set=call.criteria_set, code=c) for c in "AB")
    assignments = []
    for score_a, score_b in reviews:
        assignment = AssignmentFactory(application=application)
        review_save(
            assignment=assignment,
            user=assignment.reviewer.user,
            scores={a.pk: score_a, b.pk: score_b},
            comments="",
            recommendation="favourable",
            submit=True,
        )
        assignments.append(assignment)
    return application, assignments


def shown_scores(client, application) -> dict[str, str]:
    """The score of the application as each screen shows it, to one decimal."""
    workbench = client.get(
        reverse("admin:applications_application_changelist"),
        {"call__id__exact": application.call_id},
    )
    cl = workbench.context["cl"]
    (row,) = [row for row in cl.result_list if row.pk == application.pk]
    dossier = client.get(reverse("admin:applications_application_change", args=[application.pk]))
    ranking = client.get(
        reverse("admin:applications_application_ranking", args=[application.call_id])
    )
    (ranked,) = [r["row"] for r in ranking.context["rows"] if r["row"].application == application]
    return {
        "workbench list": cl.model_admin.mean_score(row),
        "workbench dossier": f"{dossier.context['dossier'].summary.mean:.1f}",
        "ranking": f"{ranked.score:.1f}",
    }


def test_the_workbench_and_the_ranking_show_the_same_score(coordinator_client, call):
    # A=4 of 5 weighs 2 x 0.8, B=5 of 10 weighs 1 x 0.5: (1.6 + 0.5) / 3 = 70; then 100, and
    # (0.4 + 0.3) / 3 = 23.3.
    application, _assignments = reviewed(call, "Alpha", [(4, 5), (5, 10), (1, 3)])

    shown = shown_scores(coordinator_client, application)

    assert set(shown.values()) == {"64.4"}, shown  # (70 + 100 + 23.3) / 3


def test_a_criterion_weight_cannot_change_once_reviews_are_kept(coordinator_client, call):
    application, _assignments = reviewed(call, "Alpha", [(4, 5)])
    a = Criterion.objects.get(section__criteria_set=call.criteria_set, code="A")

    response = coordinator_client.post(
        reverse("admin:calls_criterion_change", args=[a.pk]),
        {
            "section": a.section_id,
            "code": "A",
            "title": a.title,
            "answer_type": a.answer_type,
            "weight": "5",
            "score_min": "0",
            "score_max": "5",
            "position": "1",
        },
    )

    assert response.status_code == 403
    a.refresh_from_db()
    assert a.weight == 2
    assert set(shown_scores(coordinator_client, application).values()) == {"70.0"}


def test_the_screens_agree_even_if_a_weight_is_changed_in_the_database(coordinator_client, call):
    application, _assignments = reviewed(call, "Alpha", [(4, 5), (5, 10)])
    # A repair made outside the admin: the kept scores, not a recomputation, stay what counts
    # (recomputed with weight 9 the ranking would say 88.5).
    Criterion.objects.filter(section__criteria_set=call.criteria_set, code="A").update(weight=9)

    assert set(shown_scores(coordinator_client, application).values()) == {"85.0"}


def test_a_replaced_reviewers_review_counts_on_neither_screen(coordinator_client, call):
    application, (_kept, replaced) = reviewed(call, "Alpha", [(4, 5), (0, 0)])
    replaced.status = AssignmentStatus.WITHDRAWN
    replaced.save(update_fields=["status"])

    assert set(shown_scores(coordinator_client, application).values()) == {"70.0"}
