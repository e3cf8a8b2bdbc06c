"""Issue 11, secretariat tools: one applicant's deadline extended by a coordinator, with a
reason, bounded by DEADLINE_EXTENSION_MAX_DAYS; audited, told to the applicant, shown on their
pages with its time zone, and honoured wherever the call's deadline gates them."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application, DeadlineExtension
from applications.services.drafting import application_start
from applications.services.extensions import deadline_extension_grant
from applications.services.submission import application_submit
from audit.models import AuditEntry
from calls.models import Call
from decisions.enums import GuardWarning
from tests.applications.conftest import complete, person
from tests.applications.information_requests import close_the_call, save_answer
from tests.applications.test_drafting import criterion, loaded_revisions, section_url
from tests.factories import InstitutionFactory, NetworkFactory
from tests.secretariat.people import act, coordinator_of, outsiders
from workflow.decision import decision_warnings
from workflow.review import application_reopen

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(call):
    return coordinator_of(call.network, "carla@network.example")


def fresh(application):
    return Application.objects.select_related("call").get(pk=application.pk)


def grant(application, coordinator, *, hours=48, reason="The hospital's server room flooded"):
    call = Call.objects.get(pk=application.call_id)
    return deadline_extension_grant(
        application=fresh(application),
        user=coordinator,
        until=call.deadline + datetime.timedelta(hours=hours),
        reason=reason,
    )


def test_after_the_call_closes_only_the_extended_applicant_can_still_edit_and_submit(
    draft, applicant, call, coordinator, django_capture_on_commit_callbacks
):
    complete(draft, applicant)
    other = InstitutionFactory(name="Other hospital", country="IT")
    other_applicant = person("olga@other.example", other)
    late = application_start(
        call=call, institution=other, user=other_applicant, tier_requested="full_member"
    )
    complete(late, other_applicant)
    close_the_call(call)
    with django_capture_on_commit_callbacks(execute=True):
        grant(draft, coordinator, hours=2)  # two hours from the call's deadline, an hour ago

    # Editing (the shared guard of every change), then submitting, reopening, submitting again.
    save_answer(draft, applicant, "A.1", "Written after the call closed, within the extension")
    application_submit(application=fresh(draft), user=applicant)
    application_reopen(application=fresh(draft), user=applicant)
    application_submit(application=fresh(draft), user=applicant)
    assert fresh(draft).status != ApplicationStatus.DRAFT

    with pytest.raises(ValidationError):
        save_answer(late, other_applicant, "A.1", "Too late")
    with pytest.raises(ValidationError) as refused:
        application_submit(application=fresh(late), user=other_applicant)
    assert "closed" in str(refused.value)


def test_the_extension_ends_at_its_own_deadline(draft, applicant, call, coordinator):
    complete(draft, applicant)
    close_the_call(call)
    extension = grant(draft, coordinator, hours=2)
    DeadlineExtension.objects.filter(pk=extension.pk).update(
        until=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError):
        application_submit(application=fresh(draft), user=applicant)


def test_autosave_is_honoured_within_the_extension_and_refused_without(
    client, draft, applicant, call, coordinator
):
    client.force_login(applicant)
    url, _section = section_url(draft)
    revisions = loaded_revisions(client, url)
    a1 = criterion(draft, "A.1")
    close_the_call(call)
    refused = client.post(
        url, {"revisions": revisions, f"criterion_{a1.pk}": "Too late"}, headers={"X-Autosave": "1"}
    )
    assert refused.status_code == 409

    grant(draft, coordinator)
    saved = client.post(
        url, {"revisions": revisions, f"criterion_{a1.pk}": "In time"}, headers={"X-Autosave": "1"}
    )
    assert saved.status_code == 200
    assert draft.answers.get(criterion=a1).value == "In time"


def test_the_applicant_sees_their_own_deadline_with_its_zone_and_is_told(
    client, draft, applicant, call, coordinator, django_capture_on_commit_callbacks
):
    Call.objects.filter(pk=call.pk).update(time_zone="Europe/Rome")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        extension = grant(draft, coordinator, hours=30)
    client.force_login(applicant)
    local = timezone.localtime(extension.until, datetime.UTC).astimezone(
        Call.objects.get(pk=call.pk).zone
    )
    for page in (draft.get_absolute_url(), section_url(draft)[0], reverse("applications:mine")):
        body = client.get(page).content.decode()
        assert "Your deadline (extended):" in body, page
        assert f"{local:%H:%M}" in body and "Europe/Rome" in body
    [told] = [m for m in mail.outbox if "deadline" in m.subject]
    assert told.to == [applicant.email]
    assert "The hospital's server room flooded" in told.body and "Europe/Rome" in told.body


def test_each_grant_is_audited_once_and_a_double_click_changes_nothing(
    draft, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        grant(draft, coordinator)
        grant(draft, coordinator)
        grant(draft, coordinator, hours=72, reason="More time still")
    entries = AuditEntry.objects.filter(action="application.deadline_extended", application=draft)
    assert entries.count() == 2
    assert DeadlineExtension.objects.get(application=draft).reason == "More time still"
    assert len([m for m in mail.outbox if "deadline" in m.subject]) == 2


def test_the_extension_is_bounded_and_needs_a_reason(settings, draft, call, coordinator):
    settings.DEADLINE_EXTENSION_MAX_DAYS = 3
    with pytest.raises(ValidationError) as too_long:
        grant(draft, coordinator, hours=3 * 24 + 1)
    assert "at most 3 days" in str(too_long.value)
    with pytest.raises(ValidationError):
        grant(draft, coordinator, hours=-1)
    with pytest.raises(ValidationError):
        grant(draft, coordinator, reason="   ")
    grant(draft, coordinator, hours=3 * 24)
    assert DeadlineExtension.objects.filter(application=draft).exists()


def test_only_a_coordinator_of_the_network_may_extend(draft, applicant):
    for user in (applicant, coordinator_of(NetworkFactory())):
        with pytest.raises(PermissionDenied):
            grant(draft, user)
    assert not DeadlineExtension.objects.exists()


def test_the_workbench_action_asks_in_the_calls_zone_then_grants(client, draft, call, coordinator):
    client.force_login(coordinator)
    asked = act(client, "extend_deadline", [draft])
    assert asked.status_code == 200
    assert "New deadline (time zone" in asked.content.decode()

    deadline = timezone.localtime(Call.objects.get(pk=call.pk).deadline, call.zone)
    too_late = deadline + datetime.timedelta(days=31)
    refused = act(
        client,
        "extend_deadline",
        [draft],
        confirm="1",
        until=too_late.strftime("%Y-%m-%dT%H:%M"),
        reason="Flood",
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "at most 30 days" in body and "Flood" in body  # what was typed is kept

    until = (deadline + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    done = act(
        client,
        "extend_deadline",
        [draft],
        confirm="1",
        until=until.strftime("%Y-%m-%dT%H:%M"),
        reason="Flood",
    )
    assert done.status_code == 302
    assert DeadlineExtension.objects.get(application=draft).until == until


@pytest.mark.parametrize(
    "who", ["anonymous", "applicant", "reviewer", "observer", "coordinator of another network"]
)
def test_nobody_else_can_extend_a_deadline(client, draft, applicant, call, who):
    user = outsiders(applicant)[who]
    if user is not None:
        client.force_login(user)
    until = timezone.localtime(call.deadline, call.zone) + datetime.timedelta(days=2)
    act(
        client,
        "extend_deadline",
        [draft],
        confirm="1",
        until=until.strftime("%Y-%m-%dT%H:%M"),
        reason="Let me in",
    )
    assert not DeadlineExtension.objects.exists()


def test_deciding_before_the_applicants_extended_deadline_needs_the_guards_override(
    submitted, call, coordinator
):
    """An applicant given more time may still change the application: deciding before their
    own deadline is as premature as deciding before the call's."""
    close_the_call(call)
    assert GuardWarning.BEFORE_DEADLINE not in codes(decision_warnings(fresh(submitted)))

    grant(submitted, coordinator)

    [warning] = [w for w in decision_warnings(fresh(submitted)) if w.code == "before_deadline"]
    assert "extended deadline" in warning.message


def codes(warnings):
    return [warning.code for warning in warnings]
