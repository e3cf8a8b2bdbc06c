import pytest

from accounts import roles
from networks.models import Network
from tests.applications.conftest import person
from tests.dashboards.conftest import person as role_person
from tests.factories import AssignmentFactory, ReviewerProfileFactory, staff_with_mfa


@pytest.fixture
def observer(db):
    return role_person("observer@ec.example.eu", name="Olga Observer", group=roles.EC_OBSERVERS)


@pytest.fixture
def coordinator(db):
    user = staff_with_mfa(
        role_person("coordinator@example.org", group=roles.NETWORK_COORDINATORS, is_staff=True)
    )
    Network.objects.get(slug="palliative-care").coordinators.add(user)
    return user


@pytest.fixture
def administrator(db):
    return staff_with_mfa(role_person("admin@example.org", is_staff=True, is_superuser=True))


@pytest.fixture
def reviewer(db):
    user = role_person("rita@reviewers.example", name="Rita Reviewer", group=roles.REVIEWERS)
    AssignmentFactory(reviewer=ReviewerProfileFactory(user=user))
    return user


@pytest.fixture
def call(db):
    from tests.applications.conftest import open_call

    return open_call(title="Palliative care call")


@pytest.fixture
def institution(db):
    from tests.factories import InstitutionFactory

    return InstitutionFactory(name="Ospedale di Torino", country="IT")


@pytest.fixture
def applicant(institution):
    return person("anna@ospedale.example", institution)


@pytest.fixture
def draft(call, institution, applicant):
    from applications.services.drafting import application_start

    return application_start(
        call=call, institution=institution, user=applicant, tier_requested="full_member"
    )
