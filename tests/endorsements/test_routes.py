"""The call's endorsement route decides what the applicant uploads and what the endorsers do;
submission's completeness, the automatic eligibility check, the dossier and the applicant's
overview read the endorsement's state."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from applications.enums import ApplicationStatus
from applications.services.drafting import application_start, endorsement_save
from applications.services.submission import application_missing, application_submit
from calls.enums import EndorsementRoute
from coordination.dossier import application_dossier
from endorsements.enums import EndorsementState, EndorserDecision
from endorsements.models import EndorsementChange, NationalEndorsement
from endorsements.services.endorsing import endorsement_decide
from reviews.models import RoutingEvent
from tests.applications.conftest import complete, pdf_upload
from tests.endorsements.conftest import endorser, submit
from tests.factories import UserFactory, staff_with_mfa
from workflow.review import application_reopen
from workflow.routing import application_route

pytestmark = pytest.mark.django_db
S = EndorsementState
LETTER_MISSING = "Add the national letter of endorsement, with its issuing authority and date."


def decide(application, user, decision, reason=""):
    return endorsement_decide(
        application=application,
        user=user,
        decision=decision,
        signatory_name="Giulia Bianchi",
        signatory_role="Director-General for Health",
        reason=reason,
    )


def state(application) -> str:
    return NationalEndorsement.objects.get(application=application).state


def test_upload_route_needs_the_letter_and_the_endorser_confirms_it(
    draft, applicant, italian_endorser, django_capture_on_commit_callbacks
):
    assert LETTER_MISSING in application_missing(draft)
    submit(draft, applicant, django_capture_on_commit_callbacks)
    assert state(draft) == S.LETTER_UPLOADED
    with pytest.raises(ValidationError, match="accepts only a letter"):
        decide(draft, italian_endorser.user, EndorserDecision.ENDORSE)
    decide(draft, italian_endorser.user, EndorserDecision.CONFIRM_LETTER)
    record = NationalEndorsement.objects.get(application=draft)
    assert record.state == S.LETTER_CONFIRMED
    assert (record.endorser, record.signatory_name) == (italian_endorser, "Giulia Bianchi")


def test_portal_route_submits_without_a_letter_and_the_endorser_endorses_later(
    draft, applicant, call, italian_endorser, django_capture_on_commit_callbacks
):
    complete(draft, applicant)
    draft.documents.filter(purpose="endorsement").delete()
    draft.endorsement.delete()
    assert LETTER_MISSING in application_missing(draft)
    call.endorsement_route = EndorsementRoute.PORTAL
    call.save()
    draft.refresh_from_db()
    assert LETTER_MISSING not in application_missing(draft)
    assert application_missing(draft) == []
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=draft, user=applicant)
    draft.refresh_from_db()
    # Not held back by the endorsement still to come: routed and eligible.
    assert draft.status in (ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW)
    assert state(draft) == S.PENDING
    decide(draft, italian_endorser.user, EndorserDecision.ENDORSE)
    assert state(draft) == S.ENDORSED


def test_portal_route_refuses_a_letter_from_the_applicant(draft, applicant, call):
    call.endorsement_route = EndorsementRoute.PORTAL
    call.save()
    with pytest.raises(ValidationError, match="takes no letter"):
        endorsement_save(
            application=draft,
            user=applicant,
            issuing_authority="Ministero della Salute",
            issued_on=datetime.date(2026, 10, 1),
            letter=pdf_upload(),
        )
    assert not draft.documents.exists()


def test_either_route_takes_a_letter_or_an_endorsement_in_the_portal(
    call, institution, applicant, italian_endorser, django_capture_on_commit_callbacks
):
    call.endorsement_route = EndorsementRoute.EITHER
    call.save()
    without = submit(
        application_start(
            call=call, institution=institution, user=applicant, tier_requested="full_member"
        ),
        applicant,
        django_capture_on_commit_callbacks,
        with_letter=False,
    )
    assert without.status != ApplicationStatus.DRAFT
    assert state(without) == S.PENDING
    with pytest.raises(ValidationError):  # no letter to confirm
        decide(without, italian_endorser.user, EndorserDecision.CONFIRM_LETTER)
    decide(without, italian_endorser.user, EndorserDecision.ENDORSE)
    assert state(without) == S.ENDORSED


def test_a_declined_endorsement_fails_the_automatic_eligibility_check(
    draft, applicant, italian_endorser, django_capture_on_commit_callbacks
):
    complete(draft, applicant)
    with django_capture_on_commit_callbacks(execute=False):
        application_submit(application=draft, user=applicant)
    decide(draft, italian_endorser.user, EndorserDecision.DECLINE, reason="Not a reference centre")
    application_route(application_id=draft.pk)
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED
    event = RoutingEvent.objects.get(application=draft)
    assert "automatic eligibility check failed" in event.message
    assert "Not a reference centre" in event.message
    dossier = application_dossier(application=draft)
    assert dossier.endorsement_state == S.DECLINED
    assert dossier.national_endorsement.reason == "Not a reference centre"


def test_a_declined_endorsement_stands_when_the_application_is_resubmitted(
    draft, applicant, italian_endorser, django_capture_on_commit_callbacks
):
    submit(draft, applicant, django_capture_on_commit_callbacks)
    assert draft.status in (ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW)
    decide(draft, italian_endorser.user, EndorserDecision.DECLINE, reason="Already represented")
    with django_capture_on_commit_callbacks(execute=True):
        application_reopen(application=draft, user=applicant)
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=draft, user=applicant)
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED
    assert state(draft) == S.DECLINED


def test_only_an_endorser_of_the_applicants_country_may_decide(
    draft, applicant, django_capture_on_commit_callbacks
):
    submit(draft, applicant, django_capture_on_commit_callbacks)
    french = endorser("sante@ministere.example", country="FR")
    with pytest.raises(PermissionDenied):
        decide(draft, french.user, EndorserDecision.CONFIRM_LETTER)
    inactive = endorser("former@ministero.example", active=False)
    with pytest.raises(PermissionDenied):
        decide(draft, inactive.user, EndorserDecision.CONFIRM_LETTER)
    with pytest.raises(PermissionDenied):
        decide(draft, applicant, EndorserDecision.CONFIRM_LETTER)
    assert state(draft) == S.LETTER_UPLOADED


def test_declining_needs_a_reason_and_a_signatory(
    draft, applicant, italian_endorser, django_capture_on_commit_callbacks
):
    submit(draft, applicant, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as refused:
        endorsement_decide(
            application=draft,
            user=italian_endorser.user,
            decision=EndorserDecision.DECLINE,
            signatory_name=" ",
            signatory_role="",
            reason="",
        )
    assert set(refused.value.error_dict) == {"reason", "signatory_name", "signatory_role"}
    assert state(draft) == S.LETTER_UPLOADED


def test_endorsement_may_close_after_the_deadline_and_then_refuses(
    draft, applicant, call, italian_endorser, django_capture_on_commit_callbacks
):
    submit(draft, applicant, django_capture_on_commit_callbacks)
    call.endorsement_closes_at = call.closes_at + datetime.timedelta(days=14)
    call.save()
    after_deadline = call.closes_at + datetime.timedelta(days=1)
    endorsement_decide(
        application=draft,
        user=italian_endorser.user,
        decision=EndorserDecision.CONFIRM_LETTER,
        signatory_name="Giulia Bianchi",
        signatory_role="Director-General",
        now=after_deadline,
    )
    assert state(draft) == S.LETTER_CONFIRMED
    with pytest.raises(ValidationError, match="Endorsement for this call closed"):
        endorsement_decide(
            application=draft,
            user=italian_endorser.user,
            decision=EndorserDecision.DECLINE,
            signatory_name="Giulia Bianchi",
            signatory_role="Director-General",
            reason="Changed our mind",
            now=call.endorsement_closes_at + datetime.timedelta(minutes=1),
        )
    assert state(draft) == S.LETTER_CONFIRMED


def test_endorsement_closes_at_the_deadline_by_default(call):
    assert call.endorsement_closes_at is None
    assert call.endorsement_deadline == call.deadline
    assert not call.endorsement_open_at(call.deadline)
    assert call.endorsement_open_at(call.deadline - datetime.timedelta(seconds=1))


def test_deciding_twice_the_same_way_records_it_once(
    draft, applicant, italian_endorser, django_capture_on_commit_callbacks
):
    submit(draft, applicant, django_capture_on_commit_callbacks)
    decide(draft, italian_endorser.user, EndorserDecision.CONFIRM_LETTER)
    decide(draft, italian_endorser.user, EndorserDecision.CONFIRM_LETTER)
    changes = EndorsementChange.objects.filter(endorsement__application=draft)
    assert [c.to_state for c in changes] == [S.LETTER_UPLOADED, S.LETTER_CONFIRMED]


def test_a_draft_cannot_be_endorsed(draft, applicant, italian_endorser):
    complete(draft, applicant)
    with pytest.raises(Exception):  # noqa: B017 - not even visible: no such application
        decide(draft, italian_endorser.user, EndorserDecision.CONFIRM_LETTER)
    assert not NationalEndorsement.objects.filter(application=draft, state=S.LETTER_CONFIRMED)


def test_the_applicants_overview_shows_the_endorsement(
    client, draft, applicant, italian_endorser, django_capture_on_commit_callbacks
):
    submit(draft, applicant, django_capture_on_commit_callbacks)
    decide(draft, italian_endorser.user, EndorserDecision.CONFIRM_LETTER)
    client.force_login(applicant)
    page = client.get(reverse("applications:detail", args=[draft.public_id])).content.decode()
    assert "Letter confirmed by the national endorser" in page
    assert timezone.now()  # the page answered with the state, not a 500


def test_the_coordinator_reads_the_declined_endorsement_in_the_dossier(
    client, draft, applicant, call, italian_endorser, django_capture_on_commit_callbacks
):
    submit(draft, applicant, django_capture_on_commit_callbacks)
    decide(draft, italian_endorser.user, EndorserDecision.DECLINE, reason="Not a reference centre")
    coordinator = UserFactory(email="coordinator@jane.example", is_staff=True)
    coordinator.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    call.network.coordinators.add(coordinator)
    client.force_login(staff_with_mfa(coordinator))
    page = client.get(reverse("admin:applications_application_change", args=[draft.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Endorsement by the country:" in text
    assert "Endorsement declined" in text
    assert "Not a reference centre" in text
    assert "Giulia Bianchi" in text


def test_the_endorser_may_confirm_a_letter_before_the_submission_is_routed(
    draft, applicant, italian_endorser, django_capture_on_commit_callbacks
):
    complete(draft, applicant)
    with django_capture_on_commit_callbacks(execute=False):
        application_submit(application=draft, user=applicant)
    assert not NationalEndorsement.objects.filter(application=draft).exists()
    decide(draft, italian_endorser.user, EndorserDecision.CONFIRM_LETTER)
    assert state(draft) == S.LETTER_CONFIRMED
    # Routing afterwards keeps the confirmation: the letter is the one confirmed.
    application_route(application_id=draft.pk)
    assert state(draft) == S.LETTER_CONFIRMED


def test_endorsement_cannot_close_before_the_call(call):
    call.endorsement_closes_at = call.closes_at - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        call.full_clean()
    assert "endorsement_closes_at" in refused.value.error_dict
