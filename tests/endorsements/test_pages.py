"""The endorser's pages as the endorser uses them: the list filtered by call, the country's
standing, and a decision form that keeps what was typed and never answers bad input with a 500."""

import pytest
from django.urls import reverse

from applications.services.drafting import application_start
from endorsements.enums import EndorsementState
from endorsements.models import NationalEndorsement
from tests.applications.conftest import open_call, person
from tests.endorsements.conftest import submit
from tests.factories import InstitutionFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_calls(draft, applicant, django_capture_on_commit_callbacks):
    submit(draft, applicant, django_capture_on_commit_callbacks)
    other = open_call(title="Survivorship call")
    milan = InstitutionFactory(name="Istituto di Milano", country="IT")
    luca = person("luca@milano.example", milan)
    second = application_start(
        call=other, institution=milan, user=luca, tier_requested="affiliated_partner"
    )
    submit(second, luca, django_capture_on_commit_callbacks)
    MembershipFactory(network=other.network, institution=InstitutionFactory(country="IT"))
    return draft, second


def test_the_list_is_filtered_by_call_and_shows_the_countrys_standing(
    client, two_calls, italian_endorser
):
    _first, second = two_calls
    client.force_login(italian_endorser.user)
    page = client.get(reverse("endorsements:list")).content.decode()
    assert "Ospedale di Torino" in page and "Istituto di Milano" in page
    page = client.get(reverse("endorsements:list"), {"call": second.call.slug}).content.decode()
    assert "Istituto di Milano" in page
    assert "Ospedale di Torino" not in page
    assert "Italy has 1 endorsed institution in this network" in page
    assert "Could not join as an affiliated partner" in page
    # An unknown call shows every call, not an error.
    page = client.get(reverse("endorsements:list"), {"call": "no-such-call"})
    assert page.status_code == 200
    assert "Ospedale di Torino" in page.content.decode()


def test_a_bad_decision_is_refused_beside_its_field_and_keeps_what_was_typed(
    client, two_calls, italian_endorser
):
    first, _second = two_calls
    client.force_login(italian_endorser.user)
    url = reverse("endorsements:detail", args=[first.public_id])
    for data in (
        {"decision": "approve-everything", "signatory_role": "Director-General"},
        {"decision": "decline", "signatory_role": "Director-General", "signatory_name": "G. B."},
        {},
    ):
        response = client.post(url, data)
        assert response.status_code == 400
        if data:
            assert 'value="Director-General"' in response.content.decode()
    assert NationalEndorsement.objects.get(application=first).state == (
        EndorsementState.LETTER_UPLOADED
    )
