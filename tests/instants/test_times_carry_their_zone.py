"""Issue 11, defect 7: everywhere a time is shown it carries its zone, emails and admin included."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation

from applications.services.drafting import application_start
from instants.formatting import instant_text
from tests.applications.conftest import open_call, person
from tests.factories import InstitutionFactory, InvitationFactory, UserFactory, staff_with_mfa
from tests.reviews.reviewers import reviewer, submit

pytestmark = pytest.mark.django_db


def test_an_instant_is_written_in_the_zone_with_its_abbreviation_and_name():
    winter = datetime.datetime(2027, 3, 1, 16, 0, tzinfo=datetime.UTC)
    summer = datetime.datetime(2027, 3, 31, 15, 0, tzinfo=datetime.UTC)
    assert instant_text(winter, "Europe/Brussels") == "1 March 2027, 17:00 CET (Europe/Brussels)"
    assert instant_text(summer, "Europe/Lisbon") == "31 March 2027, 16:00 WEST (Europe/Lisbon)"
    assert instant_text(summer, "UTC") == "31 March 2027, 15:00 UTC"


def test_the_emails_of_a_call_in_lisbon_show_lisbon_time(django_capture_on_commit_callbacks):
    call = open_call(title="Lisbon call", time_zone="Europe/Lisbon")
    institution = InstitutionFactory(name="Hospital de Santa Maria", country="PT")
    applicant = person("rita@santamaria.example", institution)
    draft = application_start(
        call=call, institution=institution, user=applicant, tier_requested="full_member"
    )
    reviewer("one@review.example")

    submit(draft, applicant, django_capture_on_commit_callbacks)

    [assignment] = draft.assignments.all()
    lisbon = timezone.localtime(assignment.due_at, zoneinfo.ZoneInfo("Europe/Lisbon"))
    [invitation] = [m for m in mail.outbox if "review an application" in m.subject]
    assert f"{lisbon:%H:%M} {lisbon.tzname()} (Europe/Lisbon)" in invitation.body
    assert " UTC" not in invitation.body
    [receipt] = [m for m in mail.outbox if m.to and "has been received" in m.body]
    assert "(Europe/Lisbon)" in receipt.body


def test_an_invitation_email_names_the_zone_of_its_expiry(client):
    invitation = InvitationFactory()
    from notifications.catalogue import CATALOGUE, NotificationKind
    from notifications.services import notification_render

    _subject, body = notification_render(
        spec=CATALOGUE[NotificationKind.INVITATION],
        kind=NotificationKind.INVITATION,
        obj=invitation,
        language="en",
    )
    assert instant_text(invitation.expires_at) in body
    assert instant_text(invitation.expires_at).endswith(" UTC")


def test_an_admin_changelist_shows_the_zone_of_its_times(client):
    invitation = InvitationFactory()
    client.force_login(staff_with_mfa(UserFactory(is_staff=True, is_superuser=True)))

    page = client.get(reverse("admin:accounts_invitation_changelist")).content.decode()

    expires = invitation.expires_at.astimezone(datetime.UTC)
    assert f"{expires:%H:%M} UTC" in page
    # On its change page the inputs say the zone they are typed in.
    change = client.get(reverse("admin:accounts_invitation_change", args=[invitation.pk]))
    assert "Time zone: UTC" in change.content.decode()


def test_a_calls_admin_page_says_its_inputs_are_in_the_calls_zone(client):
    from tests.factories import CallFactory

    call = CallFactory(time_zone="Europe/Lisbon")
    client.force_login(staff_with_mfa(UserFactory(is_staff=True, is_superuser=True)))

    page = client.get(reverse("admin:calls_call_change", args=[call.pk])).content.decode()

    assert "Time zone: Europe/Lisbon" in page


# Django writes Italian months capitalised ("1 Marzo"): compared without case there.
MARCH = {"en": "March", "fr": "mars", "de": "März", "it": "marzo", "es": "marzo"}


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_every_offered_language_writes_a_time_with_its_zone_and_its_own_month_names(code):
    instant = datetime.datetime(2027, 3, 1, 16, 0, tzinfo=datetime.UTC)
    with translation.override(code), timezone.override(zoneinfo.ZoneInfo("Europe/Brussels")):
        long = formats.date_format(timezone.localtime(instant), "DATETIME_FORMAT")
        short = formats.date_format(timezone.localtime(instant), "SHORT_DATETIME_FORMAT")
    assert MARCH[code] in long.lower() or MARCH[code] in long, long
    assert long.endswith("17:00 CET"), long
    assert short.endswith("17:00 CET"), short
