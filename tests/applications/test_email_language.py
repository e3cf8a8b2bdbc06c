"""Emails are written in the recipient's preferred language, whatever request queued them: a
French-speaking coordinator asks a German-speaking applicant for more information."""

# The fixtures imported from tests/applications/information_requests.py are parameters below.
# ruff: noqa: F811

import pytest
from django.utils import translation

from accounts.models import User
from tests.applications.information_requests import ask, coordinator, submitted  # noqa: F401

pytestmark = pytest.mark.django_db


def _ask_in_french(submitted, coordinator, capture, mailoutbox):
    mailoutbox.clear()
    with translation.override("fr"), capture(execute=True):
        ask(submitted, coordinator)
    [email] = mailoutbox
    return email


def test_a_german_speaking_applicant_reads_a_french_coordinators_request_in_german(
    submitted, coordinator, applicant, django_capture_on_commit_callbacks, mailoutbox
):
    User.objects.filter(pk=applicant.pk).update(preferred_language="de")
    email = _ask_in_french(submitted, coordinator, django_capture_on_commit_callbacks, mailoutbox)
    assert email.to == [applicant.email]
    assert "werden weitere Informationen angefordert" in email.subject
    assert "Des informations complémentaires" not in email.subject


def test_an_applicant_without_a_preference_reads_the_language_it_was_queued_in(
    submitted, coordinator, applicant, django_capture_on_commit_callbacks, mailoutbox
):
    assert applicant.preferred_language == ""
    email = _ask_in_french(submitted, coordinator, django_capture_on_commit_callbacks, mailoutbox)
    assert "Des informations complémentaires sont demandées" in email.subject
