"""Reads of decision letters and redress requests, as the applicant may see them."""

import datetime

from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application
from decisions.enums import CONTESTABLE, DISCLOSED, LetterOutcome
from decisions.models import Letter, RedressRequest
from decisions.services.letters import letter_redress_until


def applications_disclosed(applications: list[Application]) -> list[Application]:
    """Hide from applicants each decision whose letter is not released yet, in one query.

    For display only, each application gets `timeline` (the status changes the applicant may
    see), `decision_letter` (the released letter of its current decision, or None) and
    `decision_withheld`; while a decision is withheld, its `status` is set back to the one the
    applicant last saw. Never save these objects.
    """
    released = {
        letter.decision_id: letter
        for letter in Letter.objects.filter(
            application__in=applications, status__in=DISCLOSED
        ).select_related("released_by")
    }
    for application in applications:
        changes = list(application.status_changes.all())
        timeline = [
            change
            for change in changes
            if change.to_status not in LetterOutcome.values or change.pk in released
        ]
        application.timeline = timeline
        application.decision_withheld = len(timeline) < len(changes)
        current = timeline[-1] if timeline else None
        application.decision_letter = released.get(current.pk) if current else None
        if application.decision_withheld and current is not None:
            application.status = current.to_status
    return applications


def redress_state(*, application: Application, now=None) -> dict:
    """What the applicant's page says about asking for a review of the current decision."""
    letter = getattr(application, "decision_letter", None)
    if letter is None or letter.outcome not in CONTESTABLE:
        return {"redress": None, "redress_until": None, "redress_open": False}
    letter.application = application
    until = letter_redress_until(letter)
    redress = RedressRequest.objects.filter(letter=letter).first()
    return {
        "redress": redress,
        "redress_until": until,
        "redress_open": redress is None and (now or timezone.now()) < until,
    }


def ineligibility_redress_state(*, application: Application, now=None) -> dict:
    """What the applicant's page says about a ruling of ineligibility: its reason, and asking
    for a review of it (decisions.services.redress)."""
    from_ruling = {"ruling": None, "ruling_redress": None, "ruling_redress_until": None}
    if application.status != ApplicationStatus.INELIGIBLE:
        return {**from_ruling, "ruling_redress_open": False}
    ruling = application.status_changes.order_by("-at", "-pk").first()
    if ruling is None or ruling.to_status != ApplicationStatus.INELIGIBLE:
        return {**from_ruling, "ruling_redress_open": False}
    until = ruling.at + datetime.timedelta(days=application.call.redress_days)
    redress = RedressRequest.objects.filter(ruling=ruling).first()
    return {
        "ruling": ruling,
        "ruling_redress": redress,
        "ruling_redress_until": until,
        "ruling_redress_open": redress is None and (now or timezone.now()) < until,
    }
