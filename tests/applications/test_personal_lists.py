"""The personal lists (my applications, my reviews) come a page at a time, with accessible
page links, and ask the database as often for 1 row as for 50."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import InstitutionRole
from applications.enums import ApplicationStatus
from applications.models import StatusChange
from tests.applications.conftest import person
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    CallFactory,
    InstitutionFactory,
    ReviewerProfileFactory,
)

pytestmark = pytest.mark.django_db
PAGE_SIZE = 10
STATUSES = [ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW]


@pytest.fixture(autouse=True)
def _page_size(settings):
    settings.LIST_PAGE_SIZE = PAGE_SIZE


def applications_bulk(user, calls, count, *, start=0):
    for index in range(start, start + count):
        institution = InstitutionFactory(name=f"Hospital {index:03}", country="IT")
        user.affiliations.create(institution=institution, role=InstitutionRole.REPRESENTATIVE)
        status = STATUSES[index % len(STATUSES)]
        application = ApplicationFactory(
            call=calls[index % len(calls)],
            institution=institution,
            status=status,
            submitted_at=None if status == ApplicationStatus.DRAFT else timezone.now(),
        )
        StatusChange.objects.create(
            application=application, from_status="", to_status=status, actor=user
        )


def rows(response, marker):
    return len(re.findall(marker, response.content.decode()))


def test_my_applications_asks_as_often_for_50_applications_as_for_1(client, count_queries):
    applicant = person("anna@ospedale.example")
    calls = [CallFactory(), CallFactory()]
    client.force_login(applicant)
    url = reverse("applications:mine")
    applications_bulk(applicant, calls, 1)
    few, response = count_queries(lambda: client.get(url))
    assert rows(response, r'<article class="card') == 1
    assert "Pages of my applications" not in response.content.decode()
    applications_bulk(applicant, calls, 49, start=1)
    many, response = count_queries(lambda: client.get(url))
    assert rows(response, r'<article class="card') == PAGE_SIZE
    assert many == few
    last, response = count_queries(lambda: client.get(url, {"page": 5}))
    assert last == few
    page = response.content.decode()
    assert 'aria-label="Pages of my applications"' in page
    assert re.search(r'aria-current="page" href="\?page=5"', page)
    assert "Hospital 000" in page  # the oldest, last


def test_my_applications_pages_shrug_off_a_bad_page_number(client):
    applicant = person("anna@ospedale.example")
    applications_bulk(applicant, [CallFactory()], 12)
    client.force_login(applicant)
    url = reverse("applications:mine")
    first = client.get(url, {"page": "abc"})
    assert first.status_code == 200 and "Hospital 011" in first.content.decode()
    beyond = client.get(url, {"page": "99"})
    assert beyond.status_code == 200 and "Hospital 000" in beyond.content.decode()


def test_my_applications_shows_only_the_persons_own(client):
    anna, other = person("anna@ospedale.example"), person("otto@klinik.example")
    applications_bulk(anna, [CallFactory()], 3)
    applications_bulk(other, [CallFactory()], 3, start=3)
    client.force_login(anna)
    page = client.get(reverse("applications:mine")).content.decode()
    assert "Hospital 000" in page and "Hospital 003" not in page


def test_my_reviews_asks_as_often_for_50_assignments_as_for_1(client, count_queries):
    reviewer = ReviewerProfileFactory(user=person("ada@review.example"))
    calls = [CallFactory(), CallFactory()]
    client.force_login(reviewer.user)
    url = reverse("reviews:assignments")
    AssignmentFactory(reviewer=reviewer, application__call=calls[0])
    few, response = count_queries(lambda: client.get(url))
    assert rows(response, r"/reviews/[0-9a-f-]{36}/") == 1
    for index in range(49):
        AssignmentFactory(reviewer=reviewer, application__call=calls[index % 2])
    AssignmentFactory(application__call=calls[0])  # someone else's
    many, response = count_queries(lambda: client.get(url))
    assert rows(response, r"/reviews/[0-9a-f-]{36}/") == PAGE_SIZE
    assert many == few
    last, response = count_queries(lambda: client.get(url, {"page": 5}))
    assert last == few
    assert rows(response, r"/reviews/[0-9a-f-]{36}/") == PAGE_SIZE
    assert 'aria-label="Pages of my reviews"' in response.content.decode()
