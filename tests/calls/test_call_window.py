"""The call window at its edges: the instant before and at closing, DST changes, suspensions."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from calls.enums import CallStatus
from calls.services import call_suspend
from tests.factories import CallFactory

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
UTC = datetime.UTC
SECOND = datetime.timedelta(seconds=1)

pytestmark = pytest.mark.django_db


def brussels(*args):
    return datetime.datetime(*args, tzinfo=BRUSSELS)


def test_call_accepts_until_the_instant_before_closing_and_refuses_at_closing():
    call = CallFactory(
        opens_at=brussels(2026, 9, 30, 0, 0), closes_at=brussels(2026, 11, 30, 23, 59)
    )

    assert call.status_at(call.closes_at - SECOND) == CallStatus.OPEN
    assert call.accepts_submissions_at(call.closes_at - SECOND)
    assert call.status_at(call.closes_at) == CallStatus.CLOSED
    assert not call.accepts_submissions_at(call.closes_at + SECOND)


def test_call_is_upcoming_until_the_instant_it_opens():
    call = CallFactory(
        opens_at=brussels(2026, 9, 30, 9, 0), closes_at=brussels(2026, 11, 30, 23, 59)
    )
    assert call.status_at(call.opens_at - SECOND) == CallStatus.UPCOMING
    assert call.status_at(call.opens_at) == CallStatus.OPEN


def test_call_closing_after_the_spring_change_closes_at_local_summer_time():
    # Brussels moves from CET (UTC+1) to CEST (UTC+2) at 02:00 on 29 March 2026.
    call = CallFactory(opens_at=brussels(2026, 3, 1, 0, 0), closes_at=brussels(2026, 3, 29, 12, 0))
    closing_utc = datetime.datetime(2026, 3, 29, 10, 0, tzinfo=UTC)

    assert call.closes_at == closing_utc
    assert call.status_at(closing_utc - SECOND) == CallStatus.OPEN
    assert call.status_at(closing_utc) == CallStatus.CLOSED


def test_call_closing_after_the_autumn_change_closes_at_local_winter_time():
    # Brussels moves back from CEST to CET at 03:00 on 25 October 2026.
    call = CallFactory(
        opens_at=brussels(2026, 10, 1, 0, 0), closes_at=brussels(2026, 10, 25, 23, 59)
    )
    closing_utc = datetime.datetime(2026, 10, 25, 22, 59, tzinfo=UTC)
    assert call.status_at(closing_utc - SECOND) == CallStatus.OPEN
    assert call.status_at(closing_utc) == CallStatus.CLOSED


def test_suspension_pauses_the_call_and_moves_the_deadline_by_its_length():
    call = CallFactory(opens_at=brussels(2026, 1, 5, 0, 0), closes_at=brussels(2026, 2, 27, 23, 59))
    call_suspend(
        call=call,
        starts_at=brussels(2026, 2, 2, 0, 0),
        ends_at=brussels(2026, 2, 16, 0, 0),
        reason="Platform maintenance",
    )
    call.refresh_from_db()

    assert call.status_at(brussels(2026, 2, 10, 12, 0)) == CallStatus.SUSPENDED
    assert not call.accepts_submissions_at(brussels(2026, 2, 10, 12, 0))
    assert call.deadline == brussels(2026, 3, 13, 23, 59)
    assert call.status_at(brussels(2026, 2, 28, 12, 0)) == CallStatus.OPEN
    assert call.status_at(call.deadline - SECOND) == CallStatus.OPEN
    assert call.status_at(call.deadline) == CallStatus.CLOSED


def test_suspension_across_the_spring_change_gives_back_the_hours_that_really_passed():
    # 28 March 12:00 CET to 29 March 12:00 CEST is 23 hours of real time, not 24.
    call = CallFactory(opens_at=brussels(2026, 3, 1, 0, 0), closes_at=brussels(2026, 3, 31, 12, 0))
    call_suspend(
        call=call,
        starts_at=brussels(2026, 3, 28, 12, 0),
        ends_at=brussels(2026, 3, 29, 12, 0),
        reason="Outage",
    )
    call.refresh_from_db()
    assert call.deadline - call.closes_at == datetime.timedelta(hours=23)
    assert call.deadline == brussels(2026, 4, 1, 11, 0)


def test_like_the_2020_ern_suspension_a_five_month_pause_moves_the_deadline_five_months():
    call = CallFactory(opens_at=brussels(2020, 3, 1, 0, 0), closes_at=brussels(2020, 4, 30, 23, 59))
    call_suspend(
        call=call,
        starts_at=brussels(2020, 4, 1, 0, 0),
        ends_at=brussels(2020, 9, 1, 0, 0),
        reason="COVID-19",
    )
    call.refresh_from_db()
    assert call.deadline.astimezone(BRUSSELS).date() == datetime.date(2020, 9, 30)
    assert call.deadline.astimezone(BRUSSELS).hour == 23


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "message"),
    [
        (brussels(2026, 2, 10), brussels(2026, 2, 9), "end after it starts"),
        (brussels(2025, 12, 1), brussels(2026, 1, 10), "before the call opens"),
        # The first suspension moved the deadline four days, to 3 March 23:59.
        (brussels(2026, 3, 4), brussels(2026, 3, 6), "before the call closes"),
        (brussels(2026, 2, 3), brussels(2026, 2, 20), "overlap"),
    ],
)
def test_suspension_outside_the_window_or_overlapping_another_is_refused(
    starts_at, ends_at, message
):
    call = CallFactory(opens_at=brussels(2026, 1, 5), closes_at=brussels(2026, 2, 27, 23, 59))
    call_suspend(
        call=call, starts_at=brussels(2026, 2, 1), ends_at=brussels(2026, 2, 5), reason="First"
    )
    with pytest.raises(ValidationError, match=message):
        call_suspend(call=call, starts_at=starts_at, ends_at=ends_at, reason="Second")
    assert call.suspensions.count() == 1
