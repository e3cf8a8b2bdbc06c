"""The secretariat's tools in a real browser (issue 11): a coordinator undoes a ruling of
ineligibility, extends one applicant's deadline and messages the call's applicants after a
preview; the applicant then sees their own deadline. Every page is checked against WCAG 2.1 AA.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts import roles
from applications.enums import ApplicationStatus
from applications.models import ApplicantMessage, Application, DeadlineExtension
from applications.services.submission import application_submit
from tests.applications.conftest import (
    applicant,  # noqa: F401
    call,  # noqa: F401
    complete,
    draft,  # noqa: F401
    institution,  # noqa: F401
)
from tests.browser.test_coordinator import PASSWORD, person_who_signs_in, run_action, sign_in
from tests.factories import ApplicationFactory, InstitutionFactory, staff_with_mfa
from workflow.review import application_rule_ineligible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_coordinator_undoes_ineligibility_extends_a_deadline_and_messages_applicants(
    page,
    browser,
    live_server,
    call,  # noqa: F811
    draft,  # noqa: F811
    applicant,  # noqa: F811
    assert_accessible,
):
    applicant.set_password(PASSWORD)
    applicant.name = "Anna"
    applicant.save()
    coordinator = person_who_signs_in("chiara@jane.example", "Chiara Coordinator", is_staff=True)
    coordinator.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    call.network.coordinators.add(coordinator)
    staff_with_mfa(coordinator)
    lyon = InstitutionFactory(name="Centre Léon Bérard", country="FR")
    ruled = ApplicationFactory(call=call, institution=lyon, status=ApplicationStatus.SUBMITTED)
    application_rule_ineligible(application=ruled, user=coordinator, reason="No endorsement")

    sign_in(page, coordinator, second_factor=True)

    # 1. Undo the ruling of ineligibility, with a reason.
    page.goto("/admin/applications/application/?status__exact=ineligible")
    run_action(page, "Undo the ruling of ineligibility…", "Centre Léon Bérard")
    assert_accessible(page)
    page.get_by_label(re.compile(r"^\s*Eligible")).check()
    page.get_by_label(re.compile("^Reason")).fill("The endorsement arrived by post.")
    page.get_by_role("button", name="Undo the ruling of ineligibility").click()
    expect(page.get_by_text("1 application brought back.")).to_be_visible()
    assert Application.objects.get(pk=ruled.pk).status != ApplicationStatus.INELIGIBLE

    # 2. Extend Torino's deadline by two days, typed in the call's zone.
    page.goto("/admin/applications/application/")
    run_action(page, "Extend the deadline…", "Ospedale di Torino")
    assert_accessible(page)
    until = timezone.localtime(call.deadline, call.zone) + datetime.timedelta(days=2)
    page.get_by_label(re.compile("^New deadline")).fill(until.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(re.compile("^Reason")).fill("The hospital's server room flooded.")
    page.get_by_role("button", name="Extend the deadline").click()
    expect(page.get_by_text("The deadline of 1 application is extended.")).to_be_visible()
    assert DeadlineExtension.objects.filter(application=draft).exists()

    # 3. Message the applicants with a draft: preview first, then send.
    page.goto(f"/admin/applications/applicantmessage/add/?call={call.pk}")
    assert_accessible(page)
    page.get_by_label(re.compile(r"^\s*Draft\s*$")).check()
    page.get_by_label("Subject").fill("One week left")
    page.get_by_label("Message").fill("Remember to upload the endorsement letter.")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("1 person will receive it (1 applications).")).to_be_visible()
    assert_accessible(page)
    assert not ApplicantMessage.objects.exists()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("The message is being sent to 1 people.")).to_be_visible()
    assert_accessible(page)
    assert [m.to for m in mail.outbox if "One week left" in m.subject] == [[applicant.email]]

    # 4. The applicant sees their own deadline, in the call's zone.
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    applicant_page = context.new_page()
    applicant_page.set_default_timeout(15_000)
    sign_in(applicant_page, applicant)
    applicant_page.goto(draft.get_absolute_url())
    expect(applicant_page.get_by_text("Your deadline (extended):")).to_be_visible()
    assert_accessible(applicant_page)
    complete(draft, applicant)
    application_submit(application=Application.objects.get(pk=draft.pk), user=applicant)
    context.close()
