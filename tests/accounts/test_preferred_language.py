"""Each person's preferred language: taken from the language they signed up in, changed on their
account page or with the language switcher, and the language of the account emails they get."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.accounts.people import page, person
from tests.accounts.test_sign_up_and_mfa import sign_up

pytestmark = pytest.mark.django_db


def test_signing_up_in_italian_makes_italian_the_preferred_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "it"
    sign_up(client, email="giulia@ospedale.example")
    assert User.objects.get(email="giulia@ospedale.example").preferred_language == "it"
    # The confirmation email is in Italian too.
    [message] = mail.outbox
    assert message.to == ["giulia@ospedale.example"]
    assert "Conferma" in message.subject


def test_the_account_page_changes_the_preferred_language(client):
    user = person("ines@centro.example")
    client.force_login(user)
    shown = client.get(reverse("preferred_language"))
    assert shown.status_code == 200
    label = r'<label\s+for="id_preferred_language"[^>]*>\s*Preferred language'
    assert re.search(label, page(shown))
    assert re.search(r'<option value=""[^>]*>Not chosen</option>', page(shown))
    assert reverse("preferred_language") in page(client.get(reverse("privacy:my_data")))

    saved = client.post(reverse("preferred_language"), {"preferred_language": "es"}, follow=True)
    assert "Your preferred language is saved." in page(saved)
    user.refresh_from_db()
    assert user.preferred_language == "es"

    cleared = client.post(reverse("preferred_language"), {"preferred_language": ""})
    assert cleared.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == ""


def test_the_account_page_explains_an_invalid_language_beside_the_field(client):
    user = person("ines@centro.example")
    User.objects.filter(pk=user.pk).update(preferred_language="fr")
    client.force_login(user)
    refused = client.post(reverse("preferred_language"), {"preferred_language": "xx"})
    assert refused.status_code == 200
    text = page(refused)
    assert "Select a valid choice. xx is not one of the available choices." in text
    # Beside the field, and the field marked invalid (crispy-bootstrap5's rendering).
    error = re.search(r'id="error_1_id_preferred_language"[^>]*>(.*?)</', text, re.S)
    assert "xx is not one of the available choices" in error.group(1)
    assert re.search(r'<select[^>]*is-invalid[^>]*id="id_preferred_language"', text)
    user.refresh_from_db()
    assert user.preferred_language == "fr"


def test_the_language_switcher_records_a_signed_in_persons_choice(client):
    user = person("ines@centro.example")
    client.force_login(user)
    switched = client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert switched.status_code == 302
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    user.refresh_from_db()
    assert user.preferred_language == "de"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "de"


def test_the_language_switcher_still_works_for_visitors(client):
    switched = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_a_password_reset_asked_from_a_french_page_goes_out_in_the_preferred_language(client):
    user = person("jonas@klinik.example")
    User.objects.filter(pk=user.pk).update(preferred_language="de")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    client.post(reverse("account_reset_password"), {"email": "jonas@klinik.example"})
    [message] = mail.outbox
    assert "E-Mail zum Zurücksetzen des Passworts" in message.subject


def test_a_password_reset_for_a_person_without_a_preference_follows_the_page(client):
    person("ana@centro.example")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    client.post(reverse("account_reset_password"), {"email": "ana@centro.example"})
    [message] = mail.outbox
    assert "contraseña" in message.subject.lower()
