"""The outbox and the redress requests list in a fixed number of queries, whatever their size."""

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.enums import LetterStatus
from decisions.models import Letter, RedressRequest
from tests.decisions.conftest import decided_letter

pytestmark = pytest.mark.django_db


def letters(call, first, count):
    made = [decided_letter(call, f"Hospital {number}") for number in range(first, first + count)]
    Letter.objects.filter(pk__in=[letter.pk for letter in made[::2]]).update(
        status=LetterStatus.SENT, released_at=timezone.now(), sent_at=timezone.now()
    )
    sent = Letter.objects.filter(pk__in=[letter.pk for letter in made], status=LetterStatus.SENT)
    for letter in sent.select_related("application"):
        RedressRequest.objects.create(
            application=letter.application,
            letter=letter,
            reasons="Please review.",
            requested_by=letter.application.representative,
            requested_at=timezone.now(),
        )
    return made


@pytest.mark.parametrize(
    "changelist", ["admin:decisions_letter_changelist", "admin:decisions_redressrequest_changelist"]
)
def test_the_changelist_runs_the_same_queries_for_one_row_and_for_fifty(
    coordinator_client, call, count_queries, changelist
):
    url = reverse(changelist)
    letters(call, 0, 1)
    coordinator_client.get(url)  # warm the session and the content types
    few, response = count_queries(lambda: coordinator_client.get(url))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    letters(call, 1, 99)  # 100 letters, half of them released with a request for review
    many, response = count_queries(lambda: coordinator_client.get(url))
    assert response.context["cl"].result_count >= 50
    assert many == few
