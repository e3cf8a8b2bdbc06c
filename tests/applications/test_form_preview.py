"""The preview of a call's application form: what an applicant will see, for the call's
coordinators and administrators only, in any state of the call, and nothing saved."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from applications.models import Answer, Application
from networks.models import Network
from tests.admin.coordinator_worlds import coordinator_of
from tests.applications.conftest import open_call, person
from tests.factories import InstitutionFactory, ReviewerProfileFactory, UserFactory, staff_with_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def unpublished_call():
    """A call not yet open nor published, with a criterion of every answer type."""
    call = open_call(
        network=Network.objects.get(slug="omics"),
        is_published=False,
        opens_at=timezone.now() + datetime.timedelta(days=30),
        closes_at=timezone.now() + datetime.timedelta(days=60),
    )
    criterion = call.criteria_set.sections.get(title="Activity").criteria.get(code="A.1")
    criterion.guidance = "Say how many patients you treat and how."
    criterion.save()
    return call


def preview_url(call):
    return reverse("applications:preview", args=[call.slug])


def test_the_calls_coordinator_previews_every_part_of_the_form(client, unpublished_call):
    client.force_login(coordinator_of(unpublished_call.network))
    response = client.get(preview_url(unpublished_call))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview: nothing is saved" in page
    for text in [
        "Activity",  # sections
        "Resources",
        "A.1 Describe your service",  # criteria, with their guidance
        "Say how many patients you treat and how.",
        "B.1 Staffing model",
        "Dedicated team",  # the options of a choice answer
        "L3 – mature leader",
        "Self-assessment",  # required documents
        "At most 1 MB.",
        "National endorsement",
        "Issuing authority",
        "Declaration of the director or CEO",
        "I declare, as director or chief executive",
        "Membership tier you apply for",
        "Affiliated partner",
    ]:
        assert text in page, text
    # Read-only: every field of the form is there and disabled, and there is nothing to send.
    fields = [
        tag
        for tag in re.findall(r"<(?:textarea|input|select)[^>]*>", page)
        if not re.search(r'name="(csrfmiddlewaretoken|next|language)"', tag)
    ]
    assert len(fields) > 10
    assert all(" disabled" in tag for tag in fields), [t for t in fields if " disabled" not in t]
    assert 'name="section' in page  # the answers, named as the applicant's section form does
    assert "Save draft" not in page


def test_an_administrator_previews_a_call_of_any_network(client, unpublished_call):
    client.force_login(staff_with_mfa(UserFactory(is_staff=True, is_superuser=True)))
    assert client.get(preview_url(unpublished_call)).status_code == 200


def test_posting_to_the_preview_saves_nothing(client, unpublished_call):
    client.force_login(coordinator_of(unpublished_call.network))
    before = (Application.objects.count(), Answer.objects.count())
    response = client.post(preview_url(unpublished_call), {"section1-criterion_1": "typed"})
    assert response.status_code == 200
    assert (Application.objects.count(), Answer.objects.count()) == before


def refused_people(call):
    other_network = Network.objects.exclude(pk=call.network_id).first()
    applicant = person("ana@hospital.example", InstitutionFactory())
    reviewer = ReviewerProfileFactory().user
    reviewer.groups.add(Group.objects.get(name=roles.REVIEWERS))
    observer = UserFactory(email="olga@ec.example.eu")
    observer.groups.add(Group.objects.get(name=roles.EC_OBSERVERS))
    return {
        "coordinator of another network": coordinator_of(other_network),
        "applicant": applicant,
        "reviewer": reviewer,
        "observer": observer,
        "staff who coordinates nothing": staff_with_mfa(UserFactory(is_staff=True)),
    }


@pytest.mark.parametrize("published", [False, True])
def test_everyone_else_is_refused_and_learns_nothing(client, unpublished_call, published):
    unpublished_call.is_published = published
    unpublished_call.save()
    for who, user in refused_people(unpublished_call).items():
        client.force_login(user)
        response = client.get(preview_url(unpublished_call))
        # Observers are stopped before any view runs (dashboards.middleware): 403.
        assert response.status_code == (403 if who == "observer" else 404), who
        assert unpublished_call.title not in response.content.decode(), who


def test_an_anonymous_visitor_is_sent_to_sign_in(client, unpublished_call):
    response = client.get(preview_url(unpublished_call))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_coordinator_without_a_second_factor_is_asked_for_one_first(client, unpublished_call):
    coordinator = UserFactory(is_staff=True)
    unpublished_call.network.coordinators.add(coordinator)
    client.force_login(coordinator)
    response = client.get(preview_url(unpublished_call), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("admin:mfa_required"))
    assert "Preview: nothing is saved" not in response.content.decode()


def test_the_calls_admin_page_links_to_the_preview(client, unpublished_call):
    client.force_login(coordinator_of(unpublished_call.network))
    page = client.get(reverse("admin:calls_call_change", args=[unpublished_call.pk]))
    assert preview_url(unpublished_call) in page.content.decode()
