"""Issue 11: the dossier shows each answer with its meaning, not "yes" or "L2"."""

import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from applications.services.submission import application_submit
from tests.admin.test_application_workbench import coordinator_of
from tests.applications.conftest import (  # noqa: F401
    applicant,
    call,
    complete,
    draft,
    institution,
)

pytestmark = pytest.mark.django_db


def dossier_answer(page: str, title: str) -> str:
    shown = r'</strong>\s*<div class="readonly">(.*?)</div>'
    match = re.search(re.escape(title) + shown, page, re.S)
    assert match, title
    return " ".join(strip_tags(match.group(1)).split())


def test_the_dossier_shows_what_each_answer_means(
    client,
    draft,  # noqa: F811
    applicant,  # noqa: F811
    call,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    complete(draft, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=draft, user=applicant)
    client.force_login(coordinator_of(call.network))

    page = client.get(reverse("admin:applications_application_change", args=[draft.pk]))
    text = page.content.decode()

    assert dossier_answer(text, "Do you run a day hospice?") == "Yes"
    assert dossier_answer(text, "Maturity of the service") == "L2 – intermediate"
