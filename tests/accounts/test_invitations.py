import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.enums import InstitutionRole
from accounts.models import Affiliation, Invitation
from tests.accounts.people import acting_for, page, person
from tests.factories import InstitutionFactory, InvitationFactory, JoinRequestFactory

pytestmark = pytest.mark.django_db


def test_invitation_is_emailed_and_accepted_by_the_colleague(
    client, django_capture_on_commit_callbacks
):
    institution = InstitutionFactory(name="Hospital of Invitations")
    representative = acting_for(institution, InstitutionRole.REPRESENTATIVE)
    client.force_login(representative)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation_send", args=[institution.pk]),
            {"email": "Colleague@Example.org", "role": InstitutionRole.DEPUTY},
            follow=True,
        )

    invitation = Invitation.objects.get(institution=institution)
    path = reverse("accounts:invitation", kwargs={"token": invitation.token})
    assert "An invitation was sent to Colleague@Example.org" in page(response)
    assert "Colleague@Example.org" in page(response)  # listed among open invitations
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["Colleague@Example.org"]
    assert path in mail.outbox[0].body

    colleague = person("colleague@example.org")
    client.force_login(colleague)
    invitation_page = client.get(path)
    assert "Hospital of Invitations" in page(invitation_page)
    assert "Accept the invitation" in page(invitation_page)

    response = client.post(path)

    assert response.status_code == 302
    assert response.url == reverse("accounts:institution", args=[institution.pk])
    affiliation = Affiliation.objects.get(user=colleague, institution=institution)
    assert affiliation.role == InstitutionRole.DEPUTY
    invitation.refresh_from_db()
    assert invitation.accepted_by == colleague


def test_invitation_accept_with_another_email_is_refused_with_the_reason(client):
    invitation = InvitationFactory(email="invited@example.org")
    someone_else = person("someone.else@example.org")
    client.force_login(someone_else)
    path = reverse("accounts:invitation", kwargs={"token": invitation.token})

    assert "Accept the invitation" not in page(client.get(path))
    response = client.post(path)

    assert response.status_code == 200
    assert "This invitation was sent to invited@example.org" in page(response)
    assert not Affiliation.objects.filter(user=someone_else).exists()


def test_invitation_accept_with_an_unverified_address_is_refused(client):
    invitation = InvitationFactory(email="unverified@example.org")
    client.force_login(person("unverified@example.org", verified=False))

    response = client.post(reverse("accounts:invitation", kwargs={"token": invitation.token}))

    assert "Sign in with that address" in page(response)
    assert not Affiliation.objects.filter(institution=invitation.institution).exists()


def test_invitation_accept_after_expiry_is_refused(client):
    invitation = InvitationFactory(
        email="late@example.org", expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(person("late@example.org"))
    path = reverse("accounts:invitation", kwargs={"token": invitation.token})

    assert "Accept the invitation" not in page(client.get(path))
    response = client.post(path)

    assert "This invitation has expired" in page(response)
    assert not Affiliation.objects.filter(institution=invitation.institution).exists()


def test_invitation_accepted_twice_is_refused_the_second_time(client):
    invitation = InvitationFactory(email="twice@example.org")
    client.force_login(person("twice@example.org"))
    path = reverse("accounts:invitation", kwargs={"token": invitation.token})
    client.post(path)

    response = client.post(path)

    assert "already been accepted" in page(response)
    assert Affiliation.objects.filter(institution=invitation.institution).count() == 1


def test_invitation_can_be_sent_again_once_the_first_has_expired(
    client, django_capture_on_commit_callbacks
):
    institution = InstitutionFactory()
    representative = acting_for(institution, InstitutionRole.REPRESENTATIVE)
    InvitationFactory(
        institution=institution,
        email="again@example.org",
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    client.force_login(representative)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation_send", args=[institution.pk]),
            {"email": "again@example.org", "role": InstitutionRole.CONTRIBUTOR},
        )

    assert response.status_code == 302
    assert Invitation.objects.get(institution=institution).expires_at > timezone.now()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "not-an-email", "role": "contributor"}, "Enter a valid email address"),
        ({"email": "a@example.org", "role": "overlord"}, "Select a valid choice"),
        ({"email": "", "role": "contributor"}, "This field is required"),
        ({"email": "x" * 300 + "@example.org", "role": "contributor"}, "at most 254"),
    ],
)
def test_invitation_send_explains_bad_input_beside_the_field(client, data, error):
    institution = InstitutionFactory()
    client.force_login(acting_for(institution, InstitutionRole.REPRESENTATIVE))

    response = client.post(reverse("accounts:invitation_send", args=[institution.pk]), data)

    assert response.status_code == 200
    assert error in page(response)
    assert "invalid-feedback" in page(response)
    assert not Invitation.objects.exists()


def test_invitation_send_explains_a_colleague_already_invited_or_acting(client):
    institution = InstitutionFactory()
    representative = acting_for(institution, InstitutionRole.REPRESENTATIVE)
    acting_for(institution, user=person("already@example.org"))
    InvitationFactory(institution=institution, email="invited@example.org")
    client.force_login(representative)
    url = reverse("accounts:invitation_send", args=[institution.pk])

    acting = client.post(url, {"email": "ALREADY@example.org", "role": "contributor"})
    invited = client.post(url, {"email": "Invited@Example.org", "role": "deputy"})

    assert "already acts for the institution" in page(acting)
    assert 'value="ALREADY@example.org"' in page(acting)
    assert "has already been invited" in page(invited)
    assert Invitation.objects.count() == 1


def test_contributor_sees_colleagues_but_cannot_invite_or_decide(client):
    institution = InstitutionFactory()
    contributor = acting_for(institution)
    join_request = JoinRequestFactory(institution=institution)
    client.force_login(contributor)

    detail = client.get(reverse("accounts:institution", args=[institution.pk]))
    invite = client.post(
        reverse("accounts:invitation_send", args=[institution.pk]),
        {"email": "friend@example.org", "role": "representative"},
    )
    decide = client.post(
        reverse("accounts:join_request_decide", args=[institution.pk, join_request.pk]),
        {"decision": "approve", "role": "representative"},
    )

    assert detail.status_code == 200
    assert contributor.email in page(detail)
    assert "Invite a colleague" not in page(detail)
    assert invite.status_code == 403
    assert decide.status_code == 403
    assert not Invitation.objects.exists()
    join_request.refresh_from_db()
    assert join_request.decided_at is None
