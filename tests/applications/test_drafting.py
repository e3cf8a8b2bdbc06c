"""Writing a draft through the browser's forms: bad input is explained and nothing is lost."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.enums import InstitutionRole
from accounts.models import Affiliation
from applications.models import Answer, Application, StatusChange
from applications.services.drafting import application_start
from applications.services.transitions import TransitionError, application_started
from audit.models import AuditEntry
from tests.applications.conftest import answers_for, pdf_bytes, person
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def section_url(application, position=0):
    section = application.call.criteria_set.sections.all()[position]
    return reverse("applications:section", args=[application.public_id, section.pk]), section


def criterion(application, code):
    return next(
        c
        for section in application.call.criteria_set.sections.all()
        for c in section.criteria.all()
        if c.code == code
    )


def loaded_revisions(client, url):
    """The hidden revisions a browser got with the form, as it would post them back."""
    page = client.get(url)
    return page.context["form"]["revisions"].value()


def test_saving_a_section_stores_the_answers(client, draft, applicant):
    client.force_login(applicant)
    url, _section = section_url(draft)
    a1, a2 = criterion(draft, "A.1"), criterion(draft, "A.2")
    response = client.post(
        url,
        {
            "revisions": loaded_revisions(client, url),
            f"criterion_{a1.pk}": "Home care team",
            f"criterion_{a2.pk}": "420",
        },
    )
    assert response.status_code == 302
    assert draft.answers.get(criterion=a1).value == "Home care team"
    assert draft.answers.get(criterion=a2).value == "420"


def test_a_malformed_number_is_explained_beside_it_and_nothing_typed_is_lost(
    client, draft, applicant
):
    client.force_login(applicant)
    url, _section = section_url(draft)
    a1, a2 = criterion(draft, "A.1"), criterion(draft, "A.2")
    response = client.post(
        url,
        {
            "revisions": loaded_revisions(client, url),
            f"criterion_{a1.pk}": "Our long description that must survive",
            f"criterion_{a2.pk}": "about four hundred",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a number." in page
    assert "Our long description that must survive" in page
    assert 'value="about four hundred"' in page


def test_an_answer_over_its_word_limit_is_kept_in_the_draft_and_blocks_submission(
    client, draft, applicant
):
    client.force_login(applicant)
    url, _section = section_url(draft)
    a1 = criterion(draft, "A.1")
    long_text = "word " * 60
    client.post(url, {"revisions": loaded_revisions(client, url), f"criterion_{a1.pk}": long_text})
    assert draft.answers.get(criterion=a1).value.strip() == long_text.strip()
    page = client.get(reverse("applications:detail", args=[draft.public_id])).content.decode()
    assert "60 words, the limit is 50" in page


def test_two_colleagues_saving_the_same_answer_never_silently_overwrite(
    client, draft, applicant, institution
):
    colleague = person("marco@ospedale.example", institution, InstitutionRole.CONTRIBUTOR)
    other_client = type(client)()
    client.force_login(applicant)
    other_client.force_login(colleague)
    url, _section = section_url(draft)
    a1, a2 = criterion(draft, "A.1"), criterion(draft, "A.2")
    # Both open the section before either saves.
    anna_loaded = loaded_revisions(client, url)
    marco_loaded = loaded_revisions(other_client, url)

    assert (
        other_client.post(
            url, {"revisions": marco_loaded, f"criterion_{a1.pk}": "Marco's version"}
        ).status_code
        == 302
    )
    response = client.post(
        url,
        {
            "revisions": anna_loaded,
            f"criterion_{a1.pk}": "Anna's version",
            f"criterion_{a2.pk}": "420",
        },
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert Answer.objects.get(application=draft, criterion=a1).value == "Marco's version"
    assert Answer.objects.get(application=draft, criterion=a2).value == "420"  # no conflict there
    assert "Anna&#x27;s version" in page  # Anna's text is still in her box
    assert "Marco&#x27;s version" in page  # and she sees Marco's
    assert "Marco" in page

    # Saving again, having seen both, replaces Marco's answer deliberately.
    resubmitted = response.context["form"]["revisions"].value()
    client.post(url, {"revisions": resubmitted, f"criterion_{a1.pk}": "Anna's version"})
    assert Answer.objects.get(application=draft, criterion=a1).value == "Anna's version"


def test_autosave_saves_in_the_background_and_reports_the_new_revisions(client, draft, applicant):
    client.force_login(applicant)
    url, _section = section_url(draft)
    a1 = criterion(draft, "A.1")
    response = client.post(
        url,
        {"revisions": loaded_revisions(client, url), f"criterion_{a1.pk}": "Typed, then closed"},
        headers={"X-Autosave": "1"},
    )
    body = response.json()
    assert response.status_code == 200
    assert body["saved"] == 1
    assert body["revisions"] == {str(a1.pk): 1}
    assert draft.answers.get(criterion=a1).value == "Typed, then closed"


def test_starting_an_application_writes_one_status_change_and_its_audit_entry(
    call, applicant, institution
):
    application = application_start(
        call=call, institution=institution, user=applicant, tier_requested="full_member"
    )

    [change] = StatusChange.objects.filter(application=application)
    assert (change.from_status, change.to_status, change.actor) == ("", "draft", applicant)
    assert change.at == application.created_at
    [entry] = AuditEntry.objects.filter(application=application)
    assert entry.action == "application.status"
    assert entry.actor == applicant
    assert entry.data == {"from": "", "to": "draft"}
    # Recorded once: a second start of the same application's history is refused.
    with pytest.raises(TransitionError):
        application_started(application=application, actor=applicant)
    assert StatusChange.objects.filter(application=application).count() == 1
    assert AuditEntry.objects.filter(application=application).count() == 1


def test_a_second_application_from_the_same_institution_is_refused_with_a_link(
    client, draft, applicant, institution
):
    client.force_login(applicant)
    response = client.post(
        reverse("applications:start", args=[draft.call.slug]),
        {"institution": institution.pk, "tier_requested": "full_member"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "already has an application to this call" in page
    assert draft.get_absolute_url() in page
    assert Application.objects.filter(call=draft.call, institution=institution).count() == 1


def test_starting_an_application_explains_ineligibility(client, call, applicant, institution):
    institution.type = "patient_organisation"
    institution.save()
    client.force_login(applicant)
    page = client.get(reverse("applications:start", args=[call.slug])).content.decode()
    assert "Institution type “Patient organisation” is not admitted by this call." in page
    response = client.post(
        reverse("applications:start", args=[call.slug]),
        {"institution": institution.pk, "tier_requested": "full_member"},
    )
    assert response.status_code == 400
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("assessment.docx", pdf_bytes(), "PDF"),
        ("assessment.pdf", b"MZ\x90\x00" + b"\x00" * 2000, "program"),
        ("assessment.pdf", b"%PDF-1.4\n<html><body>hello</body></html>", ""),
        ("assessment.pdf", pdf_bytes() + b"%" * 1_100_000, "MB"),
        ("assessment.pdf", pdf_bytes()[:300], ""),
    ],
    ids=["wrong-type", "disguised-executable", "html-with-pdf-header", "over-limit", "truncated"],
)
def test_a_bad_document_is_refused_with_a_clear_message_beside_it(
    client, draft, applicant, name, content, message
):
    client.force_login(applicant)
    slot = draft.call.required_documents.get(kind="self_assessment")  # PDF, at most 1 MB
    response = client.post(
        reverse("applications:documents", args=[draft.public_id]),
        {"slot": slot.pk, f"doc{slot.pk}-file": SimpleUploadedFile(name, content)},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "invalid-feedback" in page
    assert message in page
    assert not draft.documents.exists()


def test_a_document_is_stored_under_a_generated_name_outside_the_web_root(
    client, draft, applicant, settings
):
    client.force_login(applicant)
    slot = draft.call.required_documents.get(kind="self_assessment")
    client.post(
        reverse("applications:documents", args=[draft.public_id]),
        {
            "slot": slot.pk,
            f"doc{slot.pk}-file": SimpleUploadedFile("My assessment.pdf", pdf_bytes()),
        },
    )
    document = draft.documents.get()
    assert document.original_name == "My assessment.pdf"
    assert "My assessment" not in document.file.name
    assert str(settings.MEDIA_ROOT) in document.file.path
    assert not str(document.file.path).startswith(str(settings.STATIC_ROOT))
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_my_applications_lists_status_and_what_is_missing(client, draft, applicant):
    client.force_login(applicant)
    page = client.get(reverse("applications:mine")).content.decode()
    assert "Palliative care call" in page
    assert "Draft" in page
    assert "Answer A.1 “Describe your service”." in page


def test_my_applications_query_count_does_not_grow_with_applications(
    client, call, applicant, institution, count_queries
):
    from applications.services.drafting import answers_save
    from tests.factories import CallFactory

    application_start(
        call=call, institution=institution, user=applicant, tier_requested="full_member"
    )
    client.force_login(applicant)
    few, _ = count_queries(lambda: client.get(reverse("applications:mine")))
    for number in range(4):
        other = InstitutionFactory(name=f"Second hospital {number}")
        applicant.affiliations.create(institution=other, role="representative")
        application = application_start(
            call=call, institution=other, user=applicant, tier_requested="full_member"
        )
        answers_save(
            application=application, user=applicant, values=answers_for(call), loaded_revisions={}
        )
        another_call = CallFactory(criteria_set=call.criteria_set)
        application_start(
            call=another_call, institution=other, user=applicant, tier_requested="full_member"
        )
    many, response = count_queries(lambda: client.get(reverse("applications:mine")))
    assert response.status_code == 200
    assert many == few


def test_revisions_field_is_json_the_browser_can_post_back(client, draft, applicant):
    client.force_login(applicant)
    url, section = section_url(draft)
    revisions = json.loads(loaded_revisions(client, url))
    assert set(revisions) == {str(c.pk) for c in section.criteria.all()}


def test_people_page_saves_the_tier_representative_and_areas_of_expertise(
    client, draft, applicant, institution
):
    from networks.models import Topic

    deputy = person("paolo@ospedale.example", institution, InstitutionRole.DEPUTY)
    pancreas, palliative = (
        Topic.objects.get(slug="pancreatic-cancer"),
        Topic.objects.get(slug="palliative-care"),
    )
    client.force_login(applicant)
    response = client.post(
        reverse("applications:people", args=[draft.public_id]),
        {
            "tier_requested": "affiliated_partner",
            "representative": applicant.pk,
            "deputy": deputy.pk,
            "topics": [pancreas.pk, palliative.pk],
            "keywords": "HIPEC, robotic surgery, , HIPEC",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.tier_requested == "affiliated_partner"
    assert draft.deputy == deputy
    assert set(draft.topics.all()) == {pancreas, palliative}
    assert draft.keywords == ["HIPEC", "robotic surgery"]


def test_people_page_refuses_the_same_person_as_representative_and_deputy(client, draft, applicant):
    client.force_login(applicant)
    response = client.post(
        reverse("applications:people", args=[draft.public_id]),
        {"tier_requested": "full_member", "representative": applicant.pk, "deputy": applicant.pk},
    )
    assert response.status_code == 400
    assert "The deputy must be someone other than the representative." in response.content.decode()


def test_an_uploaded_document_is_listed_with_its_size_author_and_time_and_no_stray_bracket(
    client, draft, applicant
):
    client.force_login(applicant)
    slot = draft.call.required_documents.get(kind="self_assessment")
    url = reverse("applications:documents", args=[draft.public_id])
    client.post(
        url, {"slot": slot.pk, f"doc{slot.pk}-file": SimpleUploadedFile("a.pdf", pdf_bytes())}
    )
    page = client.get(url).content.decode()
    listed = page[page.index("a.pdf") :]
    listed = listed[: listed.index("</p>")]
    assert f"({draft.call.time_zone})" in listed  # the time, with its zone
    # The visitor's local time is a block of its own: nothing dangles after it.
    assert not re.search(r"</span>\s*\)", listed)


def test_the_start_form_chooses_the_persons_one_institution_and_not_one_of_several(
    client, call, applicant, institution
):
    client.force_login(applicant)
    url = reverse("applications:start", args=[call.slug])
    page = client.get(url).content.decode()
    assert re.search(rf'<option value="{institution.pk}" selected>', page)

    other = InstitutionFactory(name="Second hospital", country="IT")
    Affiliation.objects.create(user=applicant, institution=other, role=InstitutionRole.DEPUTY)
    page = client.get(url).content.decode()
    assert not re.search(r"<option value=\"\d+\" selected>", page)
