"""Letter templates: placeholders checked where they are typed, each network keeping its own."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from decisions.models import LetterTemplate
from decisions.placeholders import validate_placeholders

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    [
        "Dear {applicant},",  # not a placeholder
        "{institution.__class__}",  # attribute access
        "{0} and {}",  # positional
        "{institution!r}",  # conversion
        "{reason:>40}",  # format spec
        "An unclosed {brace",
    ],
)
def test_a_template_with_an_unknown_or_odd_placeholder_is_refused(text):
    with pytest.raises(ValidationError):
        validate_placeholders(text)


def test_known_placeholders_and_doubled_braces_are_accepted():
    validate_placeholders("{institution} joins {network} as {tier}; {{not a placeholder}}")


def test_the_admin_shows_an_unknown_placeholder_beside_the_field_and_keeps_the_text(
    coordinator_client, call
):
    url = reverse("admin:decisions_lettertemplate_add")
    response = coordinator_client.post(
        url,
        {
            "outcome": "rejected",
            "network": call.network.pk,
            "subject": "Decision for {institution}",
            "body": "Dear {applicant_name}, no.",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Unknown placeholder: {applicant_name}" in page
    assert 'class="errorlist' in page.split('name="body"')[0].rsplit('class="form-row', 1)[1]
    assert "Dear {applicant_name}, no." in page
    assert not LetterTemplate.objects.filter(network=call.network).exists()


def test_a_coordinator_saves_a_template_for_their_network_and_cannot_make_a_default(
    coordinator_client, call
):
    url = reverse("admin:decisions_lettertemplate_add")
    fields = {"outcome": "accepted", "subject": "Welcome, {institution}", "body": "Yes."}
    refused = coordinator_client.post(url, {**fields, "network": ""})
    assert refused.status_code == 200
    assert LetterTemplate.objects.filter(subject="Welcome, {institution}").count() == 0
    coordinator_client.post(url, {**fields, "network": call.network.pk})
    assert LetterTemplate.objects.get(subject="Welcome, {institution}").network == call.network
