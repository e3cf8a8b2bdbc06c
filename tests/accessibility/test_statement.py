"""Issue 13, accessibility statement: the EU model's sections at /accessibility/, linked from
every page's footer, and a feedback form whose messages are kept and reach the secretariat."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from accessibility.models import AccessibilityFeedback
from accounts import roles
from tests.factories import UserFactory, staff_with_mfa

pytestmark = pytest.mark.django_db

URL = "/accessibility/"
EU_MODEL_SECTIONS = [
    "Compliance status",
    "Non-accessible content",
    "Preparation of this accessibility statement",
    "Feedback and contact information",
    "Enforcement procedure",
]


def page(response) -> str:
    return response.content.decode()


def test_the_statement_has_every_section_of_the_eu_model(client, settings):
    settings.ACCESSIBILITY_STATEMENT_PREPARED_ON = "2026-12-02"
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@jane.example.eu"
    response = client.get(URL)
    assert response.status_code == 200
    for section in EU_MODEL_SECTIONS:
        assert f">{section}</h2>" in page(response)
    assert "2026-12-02" in page(response)
    assert "access@jane.example.eu" in page(response)
    assert "WCAG" in page(response)


@pytest.mark.parametrize("path", ["/", "/calls/", "/accounts/login/", URL])
def test_every_page_links_to_the_statement_from_its_footer(client, path):
    footer = page(client.get(path)).split("<footer", 1)[1]
    assert f'href="{URL}"' in footer
    assert "Accessibility statement" in footer


def test_a_signed_in_page_links_to_the_statement_too(client):
    client.force_login(UserFactory())
    footer = page(client.get(reverse("applications:mine"))).split("<footer", 1)[1]
    assert f'href="{URL}"' in footer


def test_feedback_is_kept_and_emailed_to_the_secretariat(
    client, settings, django_capture_on_commit_callbacks
):
    settings.ACCESSIBILITY_FEEDBACK_EMAILS = ["secretariat@jane.example.eu"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {
                "name": "Ilse Vermeulen",
                "email": "ilse@example.org",
                "page": "/calls/",
                "message": "The deadline table cannot be read with my screen reader.",
            },
            follow=True,
        )
    assert "your message was sent to the secretariat" in page(response)
    feedback = AccessibilityFeedback.objects.get()
    assert (feedback.name, feedback.email, feedback.page) == (
        "Ilse Vermeulen",
        "ilse@example.org",
        "/calls/",
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["secretariat@jane.example.eu"]
    assert "The deadline table cannot be read" in mail.outbox[0].body
    assert "ilse@example.org" in mail.outbox[0].body


def test_the_name_and_page_are_optional(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"email": "anon@example.org", "message": "Contrast too low."})
    assert AccessibilityFeedback.objects.get().name == ""


@pytest.mark.parametrize(
    "data, field",
    [
        ({"email": "not an address", "message": "Hello"}, "email"),
        ({"email": "", "message": "Hello"}, "email"),
        ({"email": "a@example.org", "message": "   "}, "message"),
        ({"email": "a@example.org", "message": "x" * 5001}, "message"),
    ],
)
def test_bad_feedback_keeps_the_input_and_says_why_beside_the_field(client, data, field):
    response = client.post(URL, {"name": "Kept Name", **data})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert 'value="Kept Name"' in page(response)
    assert f'id="error_1_id_{field}"' in page(response) or "invalid-feedback" in page(response)
    assert not AccessibilityFeedback.objects.exists()


def test_feedback_is_rate_limited_per_address(client, settings):
    settings.ACCESSIBILITY_FEEDBACK_LIMIT = 2
    data = {"email": "flood@example.org", "message": "Again"}
    assert client.post(URL, data).status_code == 302
    assert client.post(URL, data).status_code == 302
    refused = client.post(URL, data)
    assert refused.status_code == 429
    assert "Too many messages" in page(refused)
    assert 'value="flood@example.org"' in page(refused)
    assert AccessibilityFeedback.objects.count() == 2
    other = client.post(URL, data, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def _coordinator():
    user = staff_with_mfa(UserFactory(is_staff=True))
    user.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    return user


@pytest.mark.parametrize(
    "who, status",
    [
        ("anonymous", 302),
        ("applicant", 302),
        ("coordinator", 403),
        ("administrator", 200),
    ],
)
def test_only_the_administrator_reads_feedback_in_the_admin(client, who, status):
    feedback = AccessibilityFeedback.objects.create(email="a@example.org", message="Hello")
    users = {
        "applicant": lambda: UserFactory(),
        "coordinator": _coordinator,
        "administrator": lambda: staff_with_mfa(UserFactory(is_staff=True, is_superuser=True)),
    }
    if who in users:
        client.force_login(users[who]())
    for url in [
        reverse("admin:accessibility_accessibilityfeedback_changelist"),
        reverse("admin:accessibility_accessibilityfeedback_change", args=[feedback.pk]),
    ]:
        assert client.get(url).status_code == status, (who, url)
    if who == "administrator":
        changelist = client.get(reverse("admin:accessibility_accessibilityfeedback_changelist"))
        assert "a@example.org" in page(changelist)


def test_the_feedback_changelist_costs_the_same_with_many_messages(client, count_queries):
    client.force_login(staff_with_mfa(UserFactory(is_staff=True, is_superuser=True)))
    url = reverse("admin:accessibility_accessibilityfeedback_changelist")
    AccessibilityFeedback.objects.create(email="one@example.org", message="One")
    few, _ = count_queries(lambda: client.get(url))
    AccessibilityFeedback.objects.bulk_create(
        AccessibilityFeedback(email=f"p{n}@example.org", message="Many") for n in range(150)
    )
    many, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200
    assert many == few
