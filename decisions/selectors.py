"""Reads of decision letters and redress requests, as the applicant may see them."""

import datetime

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application, StatusChange
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
        timeline, hidden = [], False
        for change in changes:
            # A withheld decision is hidden, and so is its undoing (the board sent it back).
            undoing = hidden and change.from_status in LetterOutcome.values
            hidden = change.to_status in LetterOutcome.values and change.pk not in released
            if not hidden and not undoing:
                timeline.append(change)
        application.timeline = timeline
        # Withheld now: the current decision is hidden (one sent back is no decision any more).
        application.decision_withheld = hidden
        current = timeline[-1] if timeline else None
        application.decision_letter = released.get(current.pk) if current else None
        if application.decision_withheld and current is not None:
            application.status = current.to_status
    return applications


def with_disclosed_status(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate `disclosed_status`: the status as the applicant may know it. A decision whose
    letter is not released yet counts as the status the application had before it. For the
    figures shown to anyone but the deciding coordinators (dashboards, say); in the same query.
    """
    latest = StatusChange.objects.filter(application=OuterRef("pk")).order_by("-at", "-pk")
    released = Letter.objects.filter(decision=OuterRef("latest_change"), status__in=DISCLOSED)
    return applications.alias(
        latest_change=Subquery(latest.values("pk")[:1]),
        latest_from=Subquery(latest.values("from_status")[:1]),
    ).annotate(
        disclosed_status=Case(
            When(Q(status__in=LetterOutcome.values) & ~Exists(released), then=F("latest_from")),
            default=F("status"),
        )
    )


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
