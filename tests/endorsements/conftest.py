"""National endorsers and submitted applications for the endorsements tests, built through the
real services."""

import pytest

from applications.services.submission import application_submit
from endorsements.models import NationalEndorser
from tests.applications.conftest import (  # noqa: F401 - the applicant side's fixtures
    applicant,
    call,
    complete,
    draft,
    institution,
    person,
)


def endorser(email, *, country="IT", authority="Ministero della Salute", active=True):
    """A national endorser of a country, with a verified address."""
    return NationalEndorser.objects.create(
        user=person(email), country=country, authority=authority, active=active
    )


def submit(application, user, capture, *, with_letter=True):
    """Complete and submit an application, running its routing (queued on commit)."""
    complete(application, user)
    if not with_letter:
        application.documents.filter(purpose="endorsement").delete()
        application.endorsement.delete()
    with capture(execute=True):
        application_submit(application=application, user=user)
    application.refresh_from_db()
    return application


@pytest.fixture
def italian_endorser(db):
    return endorser("salute@ministero.example")
