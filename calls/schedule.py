"""The clock of a call: its effective deadline once suspensions are counted, and its status.

A call accepts submissions from `opens_at` (included) until its deadline (excluded). A suspension
pauses the clock: the deadline moves later by the real length of the suspension, so time lost
while a call was suspended is given back. All arithmetic is on absolute instants, so a daylight
saving change inside a suspension moves the deadline by the hours that really passed.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from calls.enums import CallStatus


@dataclass(frozen=True)
class Pause:
    starts_at: datetime.datetime
    ends_at: datetime.datetime


def effective_deadline(
    *,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    pauses: Iterable[Pause],
) -> datetime.datetime:
    """The first instant at which submissions are refused, suspensions counted."""
    deadline = closes_at
    for pause in _merged(pauses):
        start = max(pause.starts_at, opens_at)
        if start >= deadline or pause.ends_at <= start:
            continue
        deadline += pause.ends_at - start
    return deadline


def status_at(
    instant: datetime.datetime,
    *,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    pauses: Iterable[Pause],
) -> CallStatus:
    """The call's status at an instant."""
    pauses = list(pauses)
    if instant < opens_at:
        return CallStatus.UPCOMING
    if instant >= effective_deadline(opens_at=opens_at, closes_at=closes_at, pauses=pauses):
        return CallStatus.CLOSED
    if any(pause.starts_at <= instant < pause.ends_at for pause in pauses):
        return CallStatus.SUSPENDED
    return CallStatus.OPEN


def validate_pauses(
    *,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    pauses: Iterable[Pause],
) -> None:
    """Refuse suspensions that end before they start, overlap, or fall outside the call's window."""
    errors = []
    ordered = sorted(pauses, key=lambda pause: pause.starts_at)
    deadline = closes_at
    previous = None
    for pause in ordered:
        if pause.ends_at <= pause.starts_at:
            errors.append(_("A suspension must end after it starts."))
            continue
        if pause.starts_at < opens_at:
            errors.append(_("A suspension cannot start before the call opens."))
        if pause.starts_at >= deadline:
            errors.append(_("A suspension must start before the call closes."))
        if previous and pause.starts_at < previous.ends_at:
            errors.append(_("Suspensions must not overlap."))
        deadline += max(pause.ends_at - pause.starts_at, datetime.timedelta(0))
        previous = pause
    if errors:
        raise ValidationError(errors)


def _merged(pauses: Iterable[Pause]) -> list[Pause]:
    merged: list[Pause] = []
    for pause in sorted(pauses, key=lambda pause: pause.starts_at):
        if merged and pause.starts_at <= merged[-1].ends_at:
            last = merged[-1]
            merged[-1] = Pause(last.starts_at, max(last.ends_at, pause.ends_at))
        else:
            merged.append(pause)
    return merged
