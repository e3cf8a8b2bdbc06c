"""The privacy notice: public, accepted at sign-up, and shown once before anything else to
every signed-in person when a newer version is published."""

import datetime

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from privacy.models import NoticeAcceptance, PrivacyNotice
from tests.applications.conftest import person

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "name": "Nora Berg",
    "email": "nora@klinik.example",
    "password1": "a long and unusual passphrase",
    "password2": "a long and unusual passphrase",
}


def publish_new_version(client_of_admin, text="## What changed\nA new recipient."):
    """Draft version 2 in the admin and publish it with the admin's action."""
    response = client_of_admin.post(
        reverse("admin:privacy_privacynotice_add"),
        {"version": "2", "effective_on": timezone.localdate().isoformat(), "text": text},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = PrivacyNotice.objects.get(version=2)
    assert not notice.is_published
    # What the publication does once committed (forget the cached current version) is done.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_of_admin.post(
            reverse("admin:privacy_privacynotice_changelist"),
            {"action": "publish", "_selected_action": [notice.pk]},
        )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.is_published
    return notice


def test_the_first_notice_is_public_and_covers_every_heading_the_regulation_asks_for(client):
    response = client.get(reverse("privacy:notice"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Version 1" in page
    for heading in [
        "controller",
        "What we process",
        "purposes",
        "legal basis",
        "recipients",
        "retention",
        "Your rights",
        "Data Protection Officer",
        "Complaints",
    ]:
        assert heading in page, heading
    assert "European Data Protection Supervisor" in page
    # The secretariat's details are marked until they are set.
    assert "to be completed by the secretariat: PRIVACY_CONTROLLER" in page


def test_the_secretariats_details_come_from_the_settings(client, settings):
    settings.PRIVACY_CONTACTS = {**settings.PRIVACY_CONTACTS, "CONTACT_EMAIL": "dp@jane.example"}
    page = client.get(reverse("privacy:notice")).content.decode()
    assert "dp@jane.example" in page
    assert "PRIVACY_CONTACT_EMAIL" not in page


def test_every_page_links_to_the_notice(client):
    page = client.get(reverse("calls:list")).content.decode()
    assert f'href="{reverse("privacy:notice")}"' in page


def test_sign_up_asks_to_accept_the_notice_and_says_so_beside_the_box(client):
    response = client.post(reverse("account_signup"), SIGN_UP)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please read and accept the privacy notice to sign up." in page
    assert 'value="nora@klinik.example"' in page  # what was typed is kept
    assert not User.objects.filter(email="nora@klinik.example").exists()


def test_signing_up_records_the_acceptance_of_the_version_in_force(client):
    before = timezone.now()
    client.post(reverse("account_signup"), {**SIGN_UP, "accept_privacy_notice": "on"})
    acceptance = NoticeAcceptance.objects.get(user__email="nora@klinik.example")
    assert acceptance.notice.version == 1
    assert acceptance.accepted_at >= before


def test_a_newer_version_is_shown_once_before_anything_else_until_accepted(client, administrator):
    anna = person("anna@ospedale.example")
    client.force_login(administrator)
    notice = publish_new_version(client)
    client.logout()

    client.force_login(anna)
    mine = reverse("applications:mine")
    response = client.get(mine)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('privacy:accept')}?next={mine.replace('/', '%2F')}"
    for other in [reverse("calls:list"), reverse("accounts:institutions")]:
        assert client.get(other)["Location"].startswith(reverse("privacy:accept"))
    page = client.get(response["Location"]).content.decode()
    assert "Our privacy notice has changed" in page and "A new recipient." in page

    # Not ticking the box keeps them on the notice, with the reason beside the box.
    refused = client.post(reverse("privacy:accept"), {"version": "2", "next": mine})
    assert refused.status_code == 200
    assert "Please tick the box" in refused.content.decode()
    assert not NoticeAcceptance.objects.filter(user=anna, notice=notice).exists()

    accepted = client.post(
        reverse("privacy:accept"), {"version": "2", "accept": "on", "next": mine}
    )
    assert accepted.status_code == 302 and accepted["Location"] == mine
    assert NoticeAcceptance.objects.filter(user=anna, notice=notice).count() == 1
    assert client.get(mine).status_code == 200

    # Once: a new session of the same person is not asked again.
    client.logout()
    client.force_login(anna)
    assert client.get(mine).status_code == 200


def test_the_administrator_is_asked_too_and_can_still_sign_out(client, administrator):
    client.force_login(administrator)
    publish_new_version(client)
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("privacy:accept"))
    assert client.get(reverse("privacy:notice")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_people_who_joined_after_the_version_was_published_are_not_asked(client):
    PrivacyNotice.objects.filter(version=1).update(
        published_at=timezone.now() - datetime.timedelta(days=1)
    )
    newcomer = person("new@ospedale.example")
    client.force_login(newcomer)
    assert client.get(reverse("applications:mine")).status_code == 200


def test_people_who_joined_before_the_first_notice_are_asked_for_it(client):
    old = person("old@ospedale.example")
    User.objects.filter(pk=old.pk).update(
        date_joined=PrivacyNotice.objects.get(version=1).published_at - datetime.timedelta(days=9)
    )
    old.refresh_from_db()
    client.force_login(old)
    assert client.get(reverse("applications:mine"))["Location"].startswith(
        reverse("privacy:accept")
    )


def test_an_observer_can_accept_the_notice(client, administrator, observer):
    client.force_login(administrator)
    publish_new_version(client)
    client.force_login(observer)
    overview = reverse("dashboards:overview")
    assert client.get(overview)["Location"].startswith(reverse("privacy:accept"))
    response = client.post(
        reverse("privacy:accept"), {"version": "2", "accept": "on", "next": overview}
    )
    assert response["Location"] == overview
    assert client.get(overview).status_code == 200


def test_a_version_with_a_later_effective_date_waits_for_it(client, administrator):
    anna = person("anna@ospedale.example")
    client.force_login(administrator)
    notice = publish_new_version(client)
    PrivacyNotice.objects.filter(pk=notice.pk).update(
        effective_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    from django.core.cache import cache

    cache.clear()
    client.force_login(anna)
    assert client.get(reverse("applications:mine")).status_code == 200
    assert "Version 1" in client.get(reverse("privacy:notice")).content.decode()


def test_a_published_version_cannot_be_changed_or_deleted_in_the_admin(client, administrator):
    client.force_login(administrator)
    first = PrivacyNotice.objects.get(version=1)
    client.post(
        reverse("admin:privacy_privacynotice_change", args=[first.pk]),
        {"version": "1", "effective_on": "2020-01-01", "text": "Changed"},
    )
    first.refresh_from_db()
    assert first.text != "Changed"
    response = client.get(reverse("admin:privacy_privacynotice_delete", args=[first.pk]))
    assert response.status_code == 403


def test_the_next_address_cannot_lead_elsewhere(client):
    client.force_login(person("anna@ospedale.example"))
    response = client.post(
        reverse("privacy:accept"),
        {"version": "1", "accept": "on", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")
