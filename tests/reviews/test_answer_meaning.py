"""Issue 11: a reviewer reads each answer with its meaning ("Yes", "L2 – intermediate")."""

import pytest

from tests.applications.test_submit_summary import answer_shown
from tests.reviews.test_reviewing import accept, assignment_of, routed  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_reviewer_reads_what_each_answer_means(client, routed):  # noqa: F811
    assignment = assignment_of(routed, "ada@review.example")
    client.force_login(assignment.reviewer.user)
    accept(client, assignment)

    page = client.get(assignment.get_absolute_url()).content.decode()

    assert answer_shown(page, "Do you run a day hospice?") == "Yes"
    assert answer_shown(page, "Maturity of the service") == "L2 – intermediate"
