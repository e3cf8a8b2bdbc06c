"""Issue 13: the admin answers 404, never 500, to a malformed id anywhere: each registered
model's change, delete and history pages and the workbench's own object pages, for the
administrator and for a coordinator."""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.admin.coordinator_worlds import coordinator_of
from tests.factories import NetworkFactory, UserFactory, staff_with_mfa

pytestmark = pytest.mark.django_db

# Not a number, a number with letters after it, past PostgreSQL's bigint, not a UUID, a
# negative number, a path escape, a quoted NUL.
MALFORMED = ["not-a-number", "12abc", "99999999999999999999999", "0f0f-zz", "-1", "..", "_00"]
ACTIONS = ["change", "delete", "history"]
# The coordinators' own pages about one object, under /admin/<app>/<model>/<id>/...
OBJECT_PAGES = [
    ("applications_application_reviewers", "admin:applications_application_reviewers"),
    ("applications_application_audit_export", "admin:applications_application_audit_export"),
    ("applications_application_opinion", "admin:applications_application_opinion"),
    ("calls_call_setup_change", "admin:calls_call_setup_change"),
]


def admin_object_urls(bad_id: str) -> list[str]:
    urls = []
    for model in admin.site._registry:
        for action in ACTIONS:
            name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}"
            urls.append(reverse(name, args=["1"]).replace("/1/", f"/{bad_id}/", 1))
    for _label, name in OBJECT_PAGES:
        try:
            urls.append(reverse(name, args=["1"]).replace("/1/", f"/{bad_id}/", 1))
        except NoReverseMatch:
            pytest.fail(f"{name} is no longer an admin URL; update OBJECT_PAGES")
    return urls


@pytest.fixture
def administrator():
    return staff_with_mfa(UserFactory(is_staff=True, is_superuser=True))


@pytest.fixture
def coordinator():
    return coordinator_of(NetworkFactory())


@pytest.mark.parametrize("who", ["administrator", "coordinator"])
def test_every_admin_object_url_answers_404_to_a_malformed_id(client, request, who):
    client.raise_request_exception = False
    client.force_login(request.getfixturevalue(who))
    answers = {}
    for bad_id in MALFORMED:
        for url in admin_object_urls(bad_id):
            answers[url] = client.get(url).status_code

    wrong = {url: status for url, status in answers.items() if status >= 500}
    assert not wrong
    # A malformed id names no object: the page is not found, or (for a coordinator) the page
    # sends them on without saying whether such an object exists.
    assert set(answers.values()) <= {404, 302, 403}
    assert len(answers) > 100


def test_the_call_add_page_asks_for_nothing_that_fails(client, administrator):
    # The browser asked /admin/calls/call/<not a number>/change/ by itself from the add page.
    client.raise_request_exception = False
    client.force_login(administrator)

    assert client.get("/admin/calls/call/add/").status_code == 200
    assert client.get("/admin/calls/call/add/change/").status_code in (302, 404)
    assert client.get("/admin/calls/call/not-a-number/change/").status_code == 404
