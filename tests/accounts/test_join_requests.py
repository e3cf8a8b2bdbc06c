import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import InstitutionRole
from accounts.models import Affiliation, JoinRequest
from tests.accounts.people import acting_for, page, person
from tests.factories import InstitutionFactory, JoinRequestFactory

pytestmark = pytest.mark.django_db

MY_INSTITUTIONS_URL = reverse("accounts:institutions")


def test_join_request_is_emailed_to_managers_and_approved_in_a_role(
    client, django_capture_on_commit_callbacks
):
    institution = InstitutionFactory(name="Hospital of Requests")
    representative = acting_for(institution, InstitutionRole.REPRESENTATIVE)
    deputy = acting_for(institution, InstitutionRole.DEPUTY)
    acting_for(institution, InstitutionRole.CONTRIBUTOR)
    requester = person("newcomer@example.org")
    client.force_login(requester)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:join_request_create", args=[institution.pk]),
            {"message": "I run the pancreatic cancer unit."},
            follow=True,
        )

    assert response.redirect_chain[-1][0] == MY_INSTITUTIONS_URL
    assert "Your request to join Hospital of Requests was sent" in page(response)
    assert "Your requests to join" in page(response)
    # One email to each manager, none to the contributor.
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        [representative.email, deputy.email]
    )
    assert reverse("accounts:institution", args=[institution.pk]) in mail.outbox[0].body
    mail.outbox.clear()

    join_request = JoinRequest.objects.get(user=requester)
    client.force_login(deputy)
    detail = client.get(reverse("accounts:institution", args=[institution.pk]))
    assert "I run the pancreatic cancer unit." in page(detail)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:join_request_decide", args=[institution.pk, join_request.pk]),
            {"decision": "approve", "role": InstitutionRole.DEPUTY},
            follow=True,
        )

    assert "now acts for the institution as Deputy" in page(response)
    affiliation = Affiliation.objects.get(user=requester, institution=institution)
    assert affiliation.role == InstitutionRole.DEPUTY
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newcomer@example.org"]
    assert "approved" in mail.outbox[0].body


def test_join_request_declined_leaves_the_person_out_and_tells_them(
    client, django_capture_on_commit_callbacks
):
    institution = InstitutionFactory()
    representative = acting_for(institution, InstitutionRole.REPRESENTATIVE)
    join_request = JoinRequestFactory(institution=institution)
    client.force_login(representative)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:join_request_decide", args=[institution.pk, join_request.pk]),
            {"decision": "decline"},
        )

    assert response.status_code == 302
    join_request.refresh_from_db()
    assert join_request.approved is False
    assert not Affiliation.objects.filter(user=join_request.user).exists()
    assert "declined" in mail.outbox[0].body


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "approve", "role": "overlord"},
        {"decision": "approve"},
        {"decision": "maybe"},
        {},
    ],
)
def test_join_request_decide_with_bad_input_changes_nothing(client, data):
    institution = InstitutionFactory()
    representative = acting_for(institution, InstitutionRole.REPRESENTATIVE)
    join_request = JoinRequestFactory(institution=institution)
    client.force_login(representative)

    response = client.post(
        reverse("accounts:join_request_decide", args=[institution.pk, join_request.pk]),
        data,
        follow=True,
    )

    assert response.status_code == 200
    assert "alert-danger" in page(response)
    join_request.refresh_from_db()
    assert join_request.decided_at is None


def test_join_request_decided_twice_is_explained(client):
    institution = InstitutionFactory()
    representative = acting_for(institution, InstitutionRole.REPRESENTATIVE)
    join_request = JoinRequestFactory(institution=institution)
    client.force_login(representative)
    url = reverse("accounts:join_request_decide", args=[institution.pk, join_request.pk])
    client.post(url, {"decision": "decline"})

    response = client.post(url, {"decision": "approve", "role": "contributor"}, follow=True)

    assert "already been decided" in page(response)
    assert not Affiliation.objects.filter(user=join_request.user).exists()


def test_join_request_twice_or_by_a_member_is_explained(client):
    institution = InstitutionFactory()
    member = acting_for(institution)
    requester = person()
    url = reverse("accounts:join_request_create", args=[institution.pk])

    client.force_login(requester)
    client.post(url)
    again = client.post(url, follow=True)
    client.force_login(member)
    by_member = client.post(url, follow=True)

    assert "already asked to join" in page(again)
    assert "already act for this institution" in page(by_member)
    assert JoinRequest.objects.count() == 1


def test_join_request_page_offers_a_message_and_refuses_a_too_long_one(client):
    institution = InstitutionFactory(name="Hospital with a form")
    client.force_login(person())
    url = reverse("accounts:join_request_create", args=[institution.pk])

    form_page = client.get(url)
    response = client.post(url, {"message": "x" * 2001})

    assert "Hospital with a form" in page(form_page)
    assert 'name="message"' in page(form_page)
    assert response.status_code == 200
    assert "at most 2000 characters" in page(response)
    assert not JoinRequest.objects.exists()


def test_join_request_for_an_unknown_institution_is_not_found(client):
    client.force_login(person())
    assert client.post(reverse("accounts:join_request_create", args=[999999])).status_code == 404
