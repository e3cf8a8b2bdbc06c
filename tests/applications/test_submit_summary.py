"""Issue 11, defect 6 and the answers' meaning: "Review and submit" shows everything about to be
submitted, answers as they read ("Yes", "L2 – intermediate"), and links each missing piece to
its page."""

import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from tests.applications.conftest import complete

pytestmark = pytest.mark.django_db


def submit_page(client, user, application):
    client.force_login(user)
    response = client.get(reverse("applications:submit", args=[application.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def answer_shown(page: str, title: str) -> str:
    """The text shown beside a question of the summary."""
    match = re.search(re.escape(title) + r"</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S)
    assert match, title
    return " ".join(strip_tags(match.group(1)).split())


def test_review_and_submit_shows_every_answer_document_endorsement_and_declaration(
    client, draft, applicant
):
    complete(draft, applicant)

    page = submit_page(client, applicant, draft)

    assert "What you are about to submit" in page
    assert answer_shown(page, "Describe your service") == (
        "A palliative care unit with a day hospice and a home care team."
    )
    assert answer_shown(page, "Do you run a day hospice?") == "Yes"
    assert answer_shown(page, "Maturity of the service") == "L2 – intermediate"
    assert answer_shown(page, "Staffing model") == "Dedicated team"
    assert "chart.pdf (PDF," in page
    assert "self-assessment.pdf (Self-assessment, PDF," in page
    assert "Ministero della Salute" in page and "endorsement.pdf" in page
    assert "Made by Anna Rossi, Director" in page
    assert "Missing:" not in page
    assert "Submit the application" in page


def test_review_and_submit_links_each_missing_piece_to_its_page(client, draft, applicant, call):
    page = submit_page(client, applicant, draft)

    activity = call.criteria_set.sections.get(title="Activity")
    section_url = reverse("applications:section", args=[draft.public_id, activity.pk])
    assert f'<a class="text-danger" href="{section_url}">Missing: answer it in this section' in page
    documents_url = reverse("applications:documents", args=[draft.public_id])
    assert f'<a class="text-danger" href="{documents_url}">Missing: upload it' in page
    endorsement_url = reverse("applications:endorsement", args=[draft.public_id])
    assert f'<a class="text-danger" href="{endorsement_url}">Missing: add the letter' in page
    declarations_url = reverse("applications:declarations", args=[draft.public_id])
    assert f'<a class="text-danger" href="{declarations_url}">Missing: make this declaration' in (
        page
    )


def test_an_outsider_sees_no_summary(client, draft):
    from tests.applications.conftest import person

    outsider = person("someone@elsewhere.example")
    client.force_login(outsider)
    response = client.get(reverse("applications:submit", args=[draft.public_id]))
    assert response.status_code == 404


def test_review_and_submit_reads_in_queries_that_do_not_grow_with_the_questions(
    client, draft, applicant, call, count_queries
):
    from tests.factories import CriteriaSectionFactory, CriterionFactory

    complete(draft, applicant)
    client.force_login(applicant)
    url = reverse("applications:submit", args=[draft.public_id])
    client.get(url)  # sessions and caches warmed
    few, _response = count_queries(lambda: client.get(url))

    for position in range(3, 53):
        section = CriteriaSectionFactory(criteria_set=call.criteria_set, position=position)
        CriterionFactory(section=section, code=f"Z.{position}", required=False, position=1)
    many, response = count_queries(lambda: client.get(url))

    assert response.status_code == 200
    assert "Z.52" in response.content.decode()
    assert many == few
