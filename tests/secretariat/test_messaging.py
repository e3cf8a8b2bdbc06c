"""Issue 11, secretariat tools: a coordinator messages all or a filtered set of a call's
applicants. Written, previewed (how many receive it, the email as sent), then sent: one outbox
item per recipient, the message recorded and audited, listed in the admin; sent once however
often the page is sent."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.enums import InstitutionRole
from applications.enums import ApplicationStatus
from applications.models import ApplicantMessage, DeadlineExtension
from audit.models import AuditEntry
from outbox.models import OutboxItem
from tests.applications.conftest import person
from tests.factories import ApplicationFactory, InstitutionFactory
from tests.secretariat.people import coordinator_of, outsiders
from workflow.decision import decision_release
from workflow.messaging import applicant_message_audience

pytestmark = pytest.mark.django_db
ADD = "admin:applications_applicantmessage_add"
LIST = "admin:applications_applicantmessage_changelist"


@pytest.fixture
def coordinator(call):
    return coordinator_of(call.network, "carla@network.example")


@pytest.fixture
def applicants(call, draft):
    """The draft's Italian hospital (its representative, Anna), a submitted French one with a
    representative and a contributor, and a German one asking to be an affiliated partner."""
    french = InstitutionFactory(name="Hôpital de Lyon", country="FR")
    person("rep@lyon.example", french)
    person("contrib@lyon.example", french, InstitutionRole.CONTRIBUTOR)
    gone = person("gone@lyon.example", french)
    gone.is_active = False
    gone.save()
    ApplicationFactory(call=call, institution=french, status=ApplicationStatus.SUBMITTED)
    german = InstitutionFactory(name="Klinikum Köln", country="DE")
    person("rep@koeln.example", german)
    ApplicationFactory(
        call=call,
        institution=german,
        status=ApplicationStatus.SUBMITTED,
        tier_requested="affiliated_partner",
    )
    return call


def test_the_audience_is_everyone_acting_for_the_applicants_the_filters_keep(applicants):
    call = applicants
    everyone = applicant_message_audience(call=call)
    assert (everyone.applications, everyone.recipients) == (
        3,
        ["anna@ospedale.example", "contrib@lyon.example", "rep@koeln.example", "rep@lyon.example"],
    )
    submitted = applicant_message_audience(call=call, statuses=["submitted"])
    assert submitted.recipients == ["contrib@lyon.example", "rep@koeln.example", "rep@lyon.example"]
    french = applicant_message_audience(call=call, countries=["FR"], statuses=["submitted"])
    assert french.recipients == ["contrib@lyon.example", "rep@lyon.example"]
    partners = applicant_message_audience(call=call, tiers=["affiliated_partner"])
    assert partners.recipients == ["rep@koeln.example"]


def test_a_decision_not_yet_released_is_not_an_audience_of_its_own(call, coordinator):
    """Messaging "accepted" reaches only the institutions told so: a decision whose letter is not
    released counts as the status before it, and joins the audience when it is released."""
    from tests.decisions.conftest import approve, decided_letter

    told = decided_letter(call, "Told Hospital", outcome=ApplicationStatus.ACCEPTED)
    untold = decided_letter(call, "Untold Hospital", outcome=ApplicationStatus.ACCEPTED)
    approve(told)
    decision_release(letter=told, user=coordinator)

    accepted = applicant_message_audience(call=call, statuses=["accepted"])
    in_review = applicant_message_audience(call=call, statuses=["in_review"])
    assert accepted.recipients == ["told.hospital@institution.example"]
    assert in_review.recipients == ["untold.hospital@institution.example"]

    approve(untold)
    decision_release(letter=untold, user=coordinator)
    accepted = applicant_message_audience(call=call, statuses=["accepted"])
    assert accepted.recipients == [
        "told.hospital@institution.example",
        "untold.hospital@institution.example",
    ]


def test_write_preview_then_send_once_however_often_the_page_is_sent(
    client, applicants, coordinator, django_capture_on_commit_callbacks
):
    call = applicants
    client.force_login(coordinator)
    choose = client.get(reverse(ADD))
    assert choose.status_code == 200 and call.title in choose.content.decode()
    url = f"{reverse(ADD)}?call={call.pk}"
    assert client.get(url).status_code == 200
    written = {
        "call": call.pk,
        "statuses": ["submitted"],
        "subject": "Interviews in March",
        "body": "Please hold 12 March for an interview.",
    }

    preview = client.post(url, {**written, "preview": "1"})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "3 people will receive it (2 applications)" in page
    assert "Interviews in March" in page and "Please hold 12 March" in page
    assert "Sent by the coordinators of" in page  # the email as it is sent
    assert not ApplicantMessage.objects.exists() and not mail.outbox
    hidden = preview.context["form"].data

    send = {**written, "token": hidden["token"], "previewed": hidden["previewed"], "send": "1"}
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, send)
        again = client.post(url, send, follow=True)
    assert sent.status_code == 302
    assert "already sent" in again.content.decode()
    [message] = ApplicantMessage.objects.all()
    assert message.recipient_count == 3 and message.sent_by == coordinator
    assert sorted(m.to[0] for m in mail.outbox) == [
        "contrib@lyon.example",
        "rep@koeln.example",
        "rep@lyon.example",
    ]
    assert all("Interviews in March" in m.subject for m in mail.outbox)
    assert OutboxItem.objects.filter(key__startswith="email:applicant_message:").count() == 3
    [entry] = AuditEntry.objects.filter(action="applicant_message.sent")
    assert entry.actor == coordinator and entry.data["recipients"] == 3
    listed = client.get(reverse(LIST)).content.decode()
    assert "Interviews in March" in listed


def test_a_message_changed_since_its_preview_is_previewed_again_not_sent(
    client, applicants, coordinator
):
    call = applicants
    client.force_login(coordinator)
    url = f"{reverse(ADD)}?call={call.pk}"
    written = {"call": call.pk, "subject": "Interviews", "body": "Hold 12 March."}
    hidden = client.post(url, {**written, "preview": "1"}).context["form"].data
    changed = client.post(
        url,
        {
            **written,
            "body": "Hold 13 March.",
            "token": hidden["token"],
            "previewed": hidden["previewed"],
            "send": "1",
        },
    )
    assert changed.status_code == 200 and "Hold 13 March." in changed.content.decode()
    assert not ApplicantMessage.objects.exists()


def test_a_message_to_nobody_or_without_text_is_refused_beside_its_fields(
    client, applicants, coordinator
):
    call = applicants
    client.force_login(coordinator)
    url = f"{reverse(ADD)}?call={call.pk}"
    empty = client.post(url, {"call": call.pk, "subject": "", "body": "Kept", "preview": "1"})
    assert empty.status_code == 400
    assert "Write the subject." in empty.content.decode() and "Kept" in empty.content.decode()
    nobody = client.post(
        url,
        {"call": call.pk, "statuses": ["accepted"], "subject": "S", "body": "B", "preview": "1"},
    )
    assert "nobody would receive it" in nobody.content.decode()
    assert 'name="send"' not in nobody.content.decode()


@pytest.mark.parametrize(
    "who", ["anonymous", "applicant", "reviewer", "observer", "coordinator of another network"]
)
def test_nobody_else_can_message_a_calls_applicants(
    client, applicants, applicant, who, django_capture_on_commit_callbacks
):
    call = applicants
    user = outsiders(applicant)[who]
    if user is not None:
        client.force_login(user)
    url = f"{reverse(ADD)}?call={call.pk}"
    page = client.get(url)
    assert page.status_code in (302, 403, 404)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "call": call.pk,
                "subject": "Spam",
                "body": "Spam",
                "token": "8d3c3a52-5a5e-4bb1-9a44-8d2f6e0f3a11",
                "previewed": "x",
                "send": "1",
            },
        )
    assert not ApplicantMessage.objects.exists() and not mail.outbox
    listed = client.get(reverse(LIST))
    # Another network's coordinator has the list of their own messages, none of this call's.
    assert listed.status_code in ((200,) if who == "coordinator of another network" else (302, 403))


def test_a_coordinator_lists_only_their_networks_messages(client, applicants, coordinator):
    call = applicants
    other = coordinator_of(
        ApplicationFactory().call.network
    )  # a coordinator of another network's call
    ApplicantMessage.objects.create(
        call=call, subject="Ours", body="B", sent_by=coordinator, sent_at=timezone.now()
    )
    client.force_login(other)
    assert "Ours" not in client.get(reverse(LIST)).content.decode()


def add_message(call, user):
    ApplicantMessage.objects.create(
        call=call, subject="S", body="B", sent_by=user, sent_at=timezone.now(), recipient_count=1
    )


def add_extension(call, user):
    application = ApplicationFactory(call=call)
    DeadlineExtension.objects.create(
        application=application,
        until=call.deadline,
        reason="R",
        granted_by=user,
        granted_at=timezone.now(),
    )


@pytest.mark.parametrize(
    ("url_name", "add_row"),
    [
        (LIST, add_message),
        ("admin:applications_deadlineextension_changelist", add_extension),
    ],
)
def test_the_secretariats_lists_cost_the_same_queries_with_1_and_50_rows(
    client, call, coordinator, count_queries, url_name, add_row
):
    client.force_login(coordinator)
    add_row(call, coordinator)
    few, response = count_queries(lambda: client.get(reverse(url_name)))
    assert response.status_code == 200 and len(response.context["cl"].result_list) == 1
    for _ in range(49):
        add_row(call, coordinator)
    many, response = count_queries(lambda: client.get(reverse(url_name)))
    assert response.status_code == 200 and len(response.context["cl"].result_list) == 50
    assert many == few


@pytest.mark.parametrize(
    "who", ["anonymous", "applicant", "reviewer", "observer", "coordinator of another network"]
)
def test_nobody_else_reads_the_deadlines_extended(client, call, draft, applicant, who):
    coordinator = coordinator_of(call.network)
    DeadlineExtension.objects.create(
        application=draft,
        until=call.deadline,
        reason="A flood at Ospedale",
        granted_by=coordinator,
        granted_at=timezone.now(),
    )
    user = outsiders(applicant)[who]
    if user is not None:
        client.force_login(user)
    listed = client.get(reverse("admin:applications_deadlineextension_changelist"))
    if who == "coordinator of another network":
        assert listed.status_code == 200
        assert "A flood at Ospedale" not in listed.content.decode()
    else:
        assert listed.status_code in (302, 403)
    client.force_login(coordinator)
    assert (
        "A flood at Ospedale"
        in client.get(reverse("admin:applications_deadlineextension_changelist")).content.decode()
    )
