"""From outside: people of another institution, and anonymous visitors, against every URL of an
application and its documents."""

import pytest
from django.urls import reverse

from applications.enums import DocumentPurpose
from applications.services.submission import application_submit
from tests.applications.conftest import complete, person
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def application_urls(application):
    public_id = application.public_id
    section = application.call.criteria_set.sections.first()
    urls = [
        reverse(name, args=[public_id])
        for name in [
            "applications:detail",
            "applications:people",
            "applications:documents",
            "applications:endorsement",
            "applications:declarations",
            "applications:submit",
            "applications:reopen",
            "applications:withdraw",
        ]
    ]
    urls.append(reverse("applications:section", args=[public_id, section.pk]))
    urls.append(reverse("applications:receipt", args=[public_id, 1]))
    urls += [document.get_absolute_url() for document in application.documents.all()]
    return urls


@pytest.fixture
def submitted(draft, applicant):
    complete(draft, applicant)
    application_submit(application=draft, user=applicant)
    return draft


def test_the_application_has_documents_of_every_kind_to_protect(submitted):
    purposes = set(submitted.documents.values_list("purpose", flat=True))
    assert purposes == set(DocumentPurpose.values)


@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_from_another_institution_gets_404_on_every_url(client, submitted, method):
    outsider = person("eve@elsewhere.example", InstitutionFactory(name="Another hospital"))
    client.force_login(outsider)
    for url in application_urls(submitted):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in_and_sees_nothing(
    client, submitted, method
):
    for url in application_urls(submitted):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("account_login"))
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_a_colleague_of_the_same_institution_sees_every_url(client, submitted, institution):
    colleague = person("marco@ospedale.example", institution, "contributor")
    client.force_login(colleague)
    for url in application_urls(submitted):
        if url.endswith(("/reopen/",)):
            continue  # POST only
        assert client.get(url).status_code == 200, url


def test_a_contributor_cannot_reopen_or_withdraw(client, submitted, institution):
    contributor = person("marco@ospedale.example", institution, "contributor")
    client.force_login(contributor)
    assert (
        client.post(reverse("applications:reopen", args=[submitted.public_id])).status_code == 403
    )
    response = client.post(
        reverse("applications:withdraw", args=[submitted.public_id]), {"reason": "No"}
    )
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
