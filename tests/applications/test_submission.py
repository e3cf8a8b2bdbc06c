import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.enums import InstitutionRole
from applications.enums import ApplicationStatus
from applications.models import Application, StatusChange
from applications.services.submission import application_submit, content_checksum
from calls.models import Call
from tests.applications.conftest import complete, person
from workflow.review import application_reopen, application_withdraw

pytestmark = pytest.mark.django_db


def test_submission_locks_the_application_and_emails_a_receipt_with_a_checksum(
    draft, applicant, django_capture_on_commit_callbacks
):
    complete(draft, applicant)
    with django_capture_on_commit_callbacks(execute=True):
        submission = application_submit(application=draft, user=applicant)

    draft.refresh_from_db()
    # The routing task ran on commit: the automatic eligibility check passed, and with no
    # reviewer in the pool yet the application stays marked as awaiting routing.
    assert draft.status == ApplicationStatus.ELIGIBLE
    assert draft.awaiting_routing_since is not None
    assert submission.number == 1
    assert submission.checksum == content_checksum(submission.content)
    assert submission.content["answers"]["A.2"] == "420"
    assert {d["name"] for d in submission.content["documents"]} == {
        "chart.pdf",
        "self-assessment.pdf",
        "endorsement.pdf",
    }
    assert draft.call.criteria_set.__class__.objects.get(pk=draft.call.criteria_set_id).is_locked

    [receipt] = mail.outbox
    assert receipt.to == ["anna@ospedale.example"]
    assert submission.checksum in receipt.body
    [(filename, content, mimetype)] = receipt.attachments
    assert mimetype == "application/pdf"
    assert filename == f"receipt-{draft.public_id}-v1.pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert submission.checksum in text.replace("\n", "")
    assert "Ospedale di Torino" in text


def test_every_change_of_state_is_recorded_with_who_and_why(draft, applicant):
    complete(draft, applicant)
    application_submit(application=draft, user=applicant)
    application_reopen(application=draft, user=applicant)
    application_withdraw(application=draft, user=applicant, reason="We merged with another centre.")

    changes = list(
        StatusChange.objects.filter(application=draft).values_list(
            "from_status", "to_status", "actor__email", "reason"
        )
    )
    assert [(c[0], c[1]) for c in changes] == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "draft"),
        ("draft", "withdrawn"),
    ]
    assert all(c[2] == "anna@ospedale.example" for c in changes)
    assert changes[-1][3] == "We merged with another centre."


@pytest.mark.parametrize("now", [None, "given"], ids=["clock", "given-instant"])
def test_the_application_and_its_submitted_version_record_one_instant(draft, applicant, now):
    complete(draft, applicant)
    instant = timezone.now() - datetime.timedelta(minutes=5) if now else None

    submission = application_submit(application=draft, user=applicant, now=instant)

    draft.refresh_from_db()
    change = draft.status_changes.get(to_status=ApplicationStatus.SUBMITTED)
    assert draft.submitted_at == submission.submitted_at == change.at
    assert draft.awaiting_routing_since == draft.submitted_at
    if instant is not None:
        assert submission.submitted_at == instant


def test_reopened_and_resubmitted_application_keeps_every_version_and_the_last_counts(
    draft, applicant
):
    complete(draft, applicant)
    first = application_submit(application=draft, user=applicant)
    application_reopen(application=draft, user=applicant)
    second = application_submit(application=draft, user=applicant)
    assert [s.number for s in draft.submissions.all()] == [1, 2]
    assert draft.submissions.last() == second
    assert first.checksum == second.checksum  # nothing changed in between


def test_submission_names_each_missing_piece(draft, applicant):
    with pytest.raises(ValidationError) as refused:
        application_submit(application=draft, user=applicant)
    messages = refused.value.messages
    assert "Answer A.1 “Describe your service”." in messages
    assert "Upload a file answering B.3 “Organisation chart”." in messages
    assert "Upload “Self-assessment”." in messages
    assert any("national letter of endorsement" in m for m in messages)
    assert "Make the declaration of the director or CEO." in messages
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


def test_submission_refuses_an_answer_over_its_word_limit(draft, applicant):
    from applications.services.drafting import answers_save

    complete(draft, applicant)
    criterion = draft.call.criteria_set.sections.first().criteria.get(code="A.1")
    answer = draft.answers.get(criterion=criterion)
    answers_save(
        application=draft,
        user=applicant,
        values={criterion.pk: "word " * 51},
        loaded_revisions={criterion.pk: answer.revision},
    )
    with pytest.raises(ValidationError, match="51 words, the limit is 50"):
        application_submit(application=draft, user=applicant)


def test_submission_explains_why_the_institution_is_not_eligible(draft, applicant):
    complete(draft, applicant)
    Call.objects.filter(pk=draft.call_id).update(admitted_institution_types=["authority"])
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        application_submit(application=draft, user=applicant)
    assert refused.value.messages == ["Institution type “Hospital” is not admitted by this call."]


def test_a_contributor_cannot_submit(draft, applicant, institution):
    complete(draft, applicant)
    contributor = person("luca@ospedale.example", institution, InstitutionRole.CONTRIBUTOR)
    with pytest.raises(PermissionDenied):
        application_submit(application=draft, user=contributor)


def test_submission_one_second_after_the_deadline_is_refused_whatever_the_page_showed(
    client, draft, applicant
):
    complete(draft, applicant)
    client.force_login(applicant)
    page = client.get(reverse("applications:submit", args=[draft.public_id]))
    assert page.status_code == 200  # the page was shown while the call was open
    Call.objects.filter(pk=draft.call_id).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = client.post(reverse("applications:submit", args=[draft.public_id]))

    assert response.status_code == 400
    assert "submissions are no longer accepted" in response.content.decode()
    assert Application.objects.get(pk=draft.pk).status == ApplicationStatus.DRAFT


def test_submitting_twice_makes_one_version(client, draft, applicant):
    complete(draft, applicant)
    client.force_login(applicant)
    url = reverse("applications:submit", args=[draft.public_id])
    assert client.post(url).status_code == 302
    second = client.post(url, follow=True)
    assert "already been submitted" in second.content.decode()
    assert draft.submissions.count() == 1


def test_a_submitted_application_cannot_be_changed_until_reopened(client, draft, applicant):
    complete(draft, applicant)
    application_submit(application=draft, user=applicant)
    client.force_login(applicant)
    section = draft.call.criteria_set.sections.first()
    response = client.post(
        reverse("applications:section", args=[draft.public_id, section.pk]),
        {"revisions": "{}", f"criterion_{section.criteria.first().pk}": "Changed"},
        follow=True,
    )
    assert "cannot be changed now" in response.content.decode()
    assert draft.answers.get(criterion=section.criteria.first()).value != "Changed"


def test_receipt_downloads_as_a_pdf_for_each_version(client, draft, applicant):
    complete(draft, applicant)
    submission = application_submit(application=draft, user=applicant)
    client.force_login(applicant)
    response = client.get(reverse("applications:receipt", args=[draft.public_id, 1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert submission.checksum in text.replace("\n", "")
    assert client.get(reverse("applications:receipt", args=[draft.public_id, 2])).status_code == 404
