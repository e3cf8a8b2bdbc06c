"""The endorser's list asks the database the same number of questions for 1 application as for
50, over two calls, whatever their endorsements and the country's members."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus, DocumentPurpose
from applications.models import ApplicationDocument
from endorsements.enums import EndorsementState
from endorsements.models import NationalEndorsement
from networks.enums import MembershipTier
from tests.endorsements.conftest import endorser
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    InstitutionFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
STATES = list(EndorsementState)


def applications_bulk(calls, count, *, start=0):
    uploader = UserFactory()
    for index in range(start, start + count):
        application = ApplicationFactory(
            call=calls[index % len(calls)],
            institution=InstitutionFactory(country="IT"),
            tier_requested=(
                MembershipTier.AFFILIATED_PARTNER if index % 3 else MembershipTier.FULL_MEMBER
            ),
            status=ApplicationStatus.IN_REVIEW,
            submitted_at=timezone.now(),
        )
        if index % 2:
            NationalEndorsement.objects.create(
                application=application, state=STATES[index % len(STATES)]
            )
        if index % 4 == 0:
            ApplicationDocument.objects.create(
                application=application,
                purpose=DocumentPurpose.ENDORSEMENT,
                file="applications/letter.pdf",
                original_name="letter.pdf",
                format="pdf",
                extension="pdf",
                content_type="application/pdf",
                size=100,
                sha256="0" * 64,
                uploaded_by=uploader,
            )


def test_the_endorsers_list_asks_as_often_for_50_applications_as_for_1(
    client, count_queries, settings
):
    settings.LIST_PAGE_SIZE = 50  # the 50 on one page
    calls = [CallFactory(), CallFactory()]
    for call in calls:
        MembershipFactory(network=call.network, institution=InstitutionFactory(country="IT"))
    italian = endorser("salute@ministero.example")
    client.force_login(italian.user)
    url = reverse("endorsements:list")

    applications_bulk(calls, 1)
    few, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200
    applications_bulk(calls, 49, start=1)
    many, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200
    assert response.content.decode().count("/endorsements/") >= 50
    assert many == few
    filtered, response = count_queries(lambda: client.get(url, {"call": calls[0].slug}))
    assert filtered == few


def test_the_endorsers_list_comes_a_page_at_a_time(client, count_queries, settings):
    settings.LIST_PAGE_SIZE = 10
    calls = [CallFactory(), CallFactory()]
    italian = endorser("salute@ministero.example")
    client.force_login(italian.user)
    url = reverse("endorsements:list")
    applications_bulk(calls, 50)
    first, response = count_queries(lambda: client.get(url))
    page = response.content.decode()
    assert len(re.findall(r'href="/endorsements/[0-9a-f-]{36}/"', page)) == 10
    assert 'aria-label="Pages of the applications to endorse"' in page
    last, response = count_queries(lambda: client.get(url, {"call": calls[0].slug, "page": 3}))
    page = response.content.decode()
    # 25 in the first call: the third page holds the last 5, the filter kept on every link.
    assert len(re.findall(r'href="/endorsements/[0-9a-f-]{36}/"', page)) == 5
    assert f'href="?call={calls[0].slug}&amp;page=2"' in page
    assert 'aria-current="page"' in page
    assert last == first
