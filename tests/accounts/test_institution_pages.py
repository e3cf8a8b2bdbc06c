import datetime

import factory
import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts.enums import InstitutionRole
from accounts.models import Affiliation
from networks.models import Institution
from tests.accounts.people import acting_for, page, person
from tests.factories import InstitutionFactory, InvitationFactory, JoinRequestFactory

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("accounts:institution_create")
MY_INSTITUTIONS_URL = reverse("accounts:institutions")
INT_NAME = "Fondazione IRCCS Istituto Nazionale dei Tumori"  # seeded by the networks migrations


def profile(**fields):
    return {
        "name": "Ospedale San Raffaele",
        "acronym": "OSR",
        "country": "IT",
        "type": "hospital",
        "city": "Milan",
        "website": "https://www.hsr.it",
        "ror_id": "",
        **fields,
    }


# Creating an institution profile ----------------------------------------------------------------


def test_institution_create_makes_the_creator_its_representative(client):
    user = person()
    client.force_login(user)

    response = client.post(CREATE_URL, profile(ror_id="https://ror.org/006X48195"), follow=True)

    institution = Institution.objects.get(name="Ospedale San Raffaele")
    assert institution.ror_id == "006x48195"
    assert institution.website == "https://www.hsr.it"
    assert response.redirect_chain[-1][0] == reverse("accounts:institution", args=[institution.pk])
    assert Affiliation.objects.get(institution=institution).user == user
    assert Affiliation.objects.get(institution=institution).role == InstitutionRole.REPRESENTATIVE
    assert "You are its representative" in page(response)


def test_institution_create_form_hides_the_different_institution_box_at_first(client):
    client.force_login(person())
    response = client.get(CREATE_URL)
    assert response.status_code == 200
    assert 'name="name"' in page(response)
    assert "different_institution" not in page(response)


@pytest.mark.parametrize(
    "name",
    [
        "Fondazione IRCCS Istituto nazionale dei tumori",
        "Fondazione IRCCS – Istituto Nazionale dei Tumori.",
        "FONDAZIONE IRCCS ISTITUTO NAZIONALE DEI TUMORI",
    ],
)
def test_institution_create_offers_to_join_an_institution_with_nearly_the_same_name(client, name):
    client.force_login(person())

    response = client.post(CREATE_URL, profile(name=name, acronym="INT-MI"))

    int_milan = Institution.objects.get(name=INT_NAME)
    content = page(response)
    assert response.status_code == 200
    assert not Institution.objects.filter(acronym="INT-MI").exists()
    assert "This institution may already be registered" in content
    assert INT_NAME in content
    assert reverse("accounts:join_request_create", args=[int_milan.pk]) in content
    assert "Ask to join instead" in content
    assert 'name="different_institution"' in content
    assert 'value="INT-MI"' in content  # what was typed is kept


def test_institution_create_flags_the_same_ror_id_written_another_way(client):
    InstitutionFactory(name="Karolinska Institutet", country="SE", ror_id="056d84691")
    client.force_login(person())

    response = client.post(
        CREATE_URL,
        profile(
            name="Karolinska University Hospital", country="DE", ror_id="HTTPS://ROR.ORG/056D84691/"
        ),
    )

    assert "This institution may already be registered" in page(response)
    assert "Karolinska Institutet" in page(response)
    assert not Institution.objects.filter(name="Karolinska University Hospital").exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "Istituto Oncologico Veneto", "country": "IT"},
        {"name": "Istituto Europeo di Oncologia", "country": "IT"},
        {"name": INT_NAME, "country": "CH"},  # the same name in another country
    ],
)
def test_institution_create_does_not_flag_a_clearly_different_institution(client, fields):
    client.force_login(person())

    response = client.post(CREATE_URL, profile(**fields))

    assert response.status_code == 302
    assert Institution.objects.filter(**fields).exists()


def test_institution_create_proceeds_once_the_person_says_it_is_a_different_institution(client):
    client.force_login(person())
    name = "Fondazione IRCCS Istituto Nazionale dei Tumori (Milano)"
    first = client.post(CREATE_URL, profile(name=name))
    assert "This institution may already be registered" in page(first)

    response = client.post(CREATE_URL, profile(name=name, different_institution="on"))

    created = Institution.objects.get(name=name)
    assert response.status_code == 302
    assert response.url == reverse("accounts:institution", args=[created.pk])


def test_institution_create_refuses_a_known_ror_id_even_when_told_it_is_different(client):
    InstitutionFactory(name="Karolinska Institutet", country="SE", ror_id="056d84691")
    client.force_login(person())

    response = client.post(
        CREATE_URL,
        profile(
            name="Somewhere else", country="SE", ror_id="056d84691", different_institution="on"
        ),
    )

    assert response.status_code == 200
    assert "already registered" in page(response)
    assert "Karolinska Institutet" in page(response)
    assert not Institution.objects.filter(name="Somewhere else").exists()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"country": "XX"}, "Select a valid choice"),
        ({"country": ""}, "This field is required"),
        ({"name": "x" * 300}, "at most 255 characters"),
        ({"name": ""}, "This field is required"),
        ({"type": "castle"}, "Select a valid choice"),
        ({"website": "not a website"}, "Enter a valid URL"),
        ({"ror_id": "12345"}, "ROR identifier"),
        ({"ror_id": "x" * 5000}, "at most 60 characters"),
    ],
)
def test_institution_create_explains_bad_input_beside_the_field(client, fields, error):
    client.force_login(person())

    response = client.post(CREATE_URL, profile(**fields))

    assert response.status_code == 200
    assert error in page(response)
    assert "invalid-feedback" in page(response)
    assert not Institution.objects.filter(name=profile(**fields)["name"]).exists()


# My institutions --------------------------------------------------------------------------------


def test_my_institutions_lists_roles_invitations_and_requests(client):
    user = person("me@example.org")
    EmailAddress.objects.create(user=user, email="me@work.example.org", verified=True)
    EmailAddress.objects.create(user=user, email="me@old.example.org", verified=False)
    mine = InstitutionFactory(name="My Own Hospital")
    acting_for(mine, InstitutionRole.DEPUTY, user=user)
    InvitationFactory(
        email="ME@work.example.org", institution=InstitutionFactory(name="Inviting One")
    )
    InvitationFactory(
        email="me@old.example.org", institution=InstitutionFactory(name="Unverified One")
    )
    InvitationFactory(
        email="me@example.org",
        institution=InstitutionFactory(name="Expired One"),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    InvitationFactory(email="other@example.org", institution=InstitutionFactory(name="Not For Me"))
    JoinRequestFactory(user=user, institution=InstitutionFactory(name="Asked One"))
    client.force_login(user)

    content = page(client.get(MY_INSTITUTIONS_URL))

    assert "My Own Hospital" in content
    assert reverse("accounts:institution", args=[mine.pk]) in content
    assert "Deputy" in content
    assert "Inviting One" in content
    assert "Unverified One" not in content
    assert "Expired One" not in content
    assert "Not For Me" not in content
    assert "Asked One" in content
    assert reverse("accounts:institution_create") in content


def test_my_institutions_search_finds_by_name_and_country_with_ask_to_join(client):
    user = person()
    InstitutionFactory(name="Hôpital Saint-Louis", country="FR", city="Paris")
    InstitutionFactory(name="Saint Louis Hospital", country="US", city="St. Louis")
    asked = InstitutionFactory(name="Clinique Saint-Louis", country="FR")
    JoinRequestFactory(user=user, institution=asked)
    client.force_login(user)

    response = client.get(MY_INSTITUTIONS_URL, {"q": "saint", "country": "FR"})

    content = page(response)
    assert "Hôpital Saint-Louis" in content
    assert "Saint Louis Hospital" not in content
    assert "2 institutions found" in content
    assert "Request sent" in content
    assert "Ask to join" in content


def test_my_institutions_search_is_bounded(client):
    InstitutionFactory.create_batch(55, name=factory.Sequence(lambda n: f"Bounded Clinic {n}"))
    client.force_login(person())

    response = client.get(MY_INSTITUTIONS_URL, {"q": "Bounded"})

    assert response.status_code == 200
    assert page(response).count("Ask to join<span") == 50
    assert "More than 50 institutions match" in page(response)


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"q": "a"}, "at least 2 characters"),
        ({"q": "x" * 500}, "at most 100 characters"),
        ({"q": "hospital", "country": "ZZ"}, "Select a valid choice"),
    ],
)
def test_my_institutions_search_explains_bad_input_beside_the_field(client, query, error):
    client.force_login(person())
    response = client.get(MY_INSTITUTIONS_URL, query)
    assert response.status_code == 400
    assert error in page(response)
    assert "invalid-feedback" in page(response)


def my_institutions_world(size):
    """A person acting for `size` institutions, each with colleagues, invitations and requests."""
    user = person()
    for n in range(size):
        institution = InstitutionFactory(name=f"Query Hospital {n}")
        acting_for(institution, InstitutionRole.REPRESENTATIVE, user=user)
        for _ in range(3):
            acting_for(institution)
        InvitationFactory(email=user.email, institution=InstitutionFactory())
        JoinRequestFactory(user=user, institution=InstitutionFactory())
    return user


def test_my_institutions_query_count_does_not_grow(client, count_queries):
    counts = []
    for size in (1, 10):
        client.force_login(my_institutions_world(size))
        count, response = count_queries(
            lambda: client.get(MY_INSTITUTIONS_URL, {"q": "Query Hospital"})
        )
        assert response.status_code == 200
        counts.append(count)
    assert counts[0] == counts[1]


def test_institution_page_query_count_does_not_grow(client, count_queries):
    counts = []
    for size in (1, 10):
        institution = InstitutionFactory()
        representative = acting_for(institution, InstitutionRole.REPRESENTATIVE)
        for _ in range(size):
            acting_for(institution)
            InvitationFactory(institution=institution)
            JoinRequestFactory(institution=institution)
        client.force_login(representative)
        count, response = count_queries(
            lambda institution=institution: client.get(
                reverse("accounts:institution", args=[institution.pk])
            )
        )
        assert response.status_code == 200
        counts.append(count)
    assert counts[0] == counts[1]
