"""Decision letters: drafted on a decision, released by a coordinator, sent through the outbox."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import institution_manager_emails
from applications.enums import Actor
from applications.models import Application, StatusChange
from calls.models import Call
from decisions.defaults import DEFAULT_LETTERS
from decisions.enums import LetterOutcome, LetterStatus
from decisions.models import Letter, LetterTemplate
from decisions.placeholders import ON_RELEASE, placeholders_fill
from decisions.services import ensure_coordinator, latest_change
from decisions.services.proposals import proposal_approved
from decisions.services.transitions import letter_transition
from instants.formatting import instant_text as zoned_instant_text
from networks.enums import MembershipTier
from notifications.catalogue import NotificationKind
from notifications.services import notification_queue, notifications_sent

RELEASE_TOKEN = "{" + ON_RELEASE + "}"


def instant_text(value: datetime.datetime, call: Call) -> str:
    """An instant as the applicant reads it: in the call's time zone, named (as the call_times
    template tag shows it)."""
    return zoned_instant_text(value, call.time_zone)


def letter_template_for(*, call: Call, outcome: str) -> tuple[str, str, LetterTemplate | None]:
    """The subject and body for an outcome: the call's own, else the network's, else the default."""
    templates = LetterTemplate.objects.filter(outcome=outcome).filter(
        Q(call=call)
        | Q(call__isnull=True, network=call.network_id)
        | Q(call__isnull=True, network__isnull=True)
    )
    ranked = sorted(templates, key=lambda t: (t.call_id is None, t.network_id is None))
    if ranked:
        return ranked[0].subject, ranked[0].body, ranked[0]
    subject, body = DEFAULT_LETTERS[outcome]
    return subject, body, None


def letter_values(*, application: Application, decision: StatusChange) -> dict[str, str]:
    """What each placeholder stands for in the letter announcing this decision."""
    call = application.call
    representative = application.representative
    return {
        "institution": application.institution.name,
        "network": call.network.name,
        "call": call.title,
        "decision": str(LetterOutcome(decision.to_status).label),
        "tier": str(MembershipTier(application.tier_requested).label),
        "reason": decision.reason,
        "representative": (representative.name if representative else "") or _("Madam or Sir"),
        # Kept as it is until release, when the redress period starts.
        "redress_until": RELEASE_TOKEN,
        "portal_url": settings.SITE_URL + application.get_absolute_url(),
    }


@transaction.atomic
def letter_draft(*, application: Application) -> Letter:
    """Draft the letter announcing the application's latest decision into the outbox.

    An earlier draft of the same application is superseded: only the latest decision can be
    released. Nothing is sent until a coordinator releases the letter.
    """
    decision = latest_change(application)
    if decision is None or decision.to_status not in LetterOutcome.values:
        raise ValidationError(_("The application has no decision to announce."))
    for earlier in Letter.objects.filter(application=application, status=LetterStatus.DRAFT):
        letter_transition(
            letter=earlier,
            to_status=LetterStatus.SUPERSEDED,
            actor=None,
            actor_kind=Actor.SYSTEM,
            reason=_("A later decision was made."),
        )
    subject_template, body_template, template = letter_template_for(
        call=application.call, outcome=decision.to_status
    )
    with translation.override(settings.LANGUAGE_CODE):
        values = letter_values(application=application, decision=decision)
        subject = " ".join(placeholders_fill(subject_template, values).split())
        body = placeholders_fill(body_template, values)
    return Letter.objects.create(
        application=application,
        decision=decision,
        outcome=decision.to_status,
        template=template,
        subject=subject[:255],
        body=body,
    )


def letter_redress_until(letter: Letter, *, released_at: datetime.datetime | None = None):
    """The end of the period in which a review of the letter's decision may be asked for."""
    start = released_at or letter.released_at
    if start is None:
        return None
    return start + datetime.timedelta(days=letter.application.call.redress_days)


def letter_body_on_release(letter: Letter, *, released_at: datetime.datetime) -> str:
    """The body with the end of the redress period filled in, as it is sent."""
    until = letter_redress_until(letter, released_at=released_at)
    return letter.body.replace(RELEASE_TOKEN, instant_text(until, letter.application.call))


@transaction.atomic
def letter_edit(*, letter: Letter, user: User, subject: str, body: str) -> Letter:
    """A coordinator changes the subject or body of a letter still in draft."""
    ensure_coordinator(letter.application, user)
    locked = Letter.objects.select_for_update().get(pk=letter.pk)
    if not locked.is_draft:
        raise ValidationError(_("Only a letter in draft can be changed."))
    if not subject.strip() or not body.strip():
        raise ValidationError(_("A letter needs a subject and a body."))
    letter.subject = locked.subject = " ".join(subject.split())
    letter.body = locked.body = body
    locked.save(update_fields=["subject", "body"])
    return letter


@transaction.atomic
def letter_release(*, letter: Letter, user: User) -> Letter:
    """A coordinator releases a draft letter whose decision the decision board approved: the
    applicant sees the decision, and the letter goes into the outbox, one email per recipient,
    sent once the release is committed. Call it through workflow.decision.decision_release,
    which also starts an acceptance's membership."""
    ensure_coordinator(letter.application, user)
    locked = (
        Letter.objects.select_for_update().select_related("application__call").get(pk=letter.pk)
    )
    if not locked.is_draft:
        raise ValidationError(
            _("Only a letter in draft can be released; this one is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    if not proposal_approved(decision_id=locked.decision_id):
        raise ValidationError(
            _(
                "The decision board has not approved this decision yet: its letter cannot be "
                "released."
            ),
            code="not_approved",
        )
    now = timezone.now()
    letter_transition(
        letter=letter,
        to_status=LetterStatus.RELEASED,
        actor=user,
        actor_kind=Actor.COORDINATOR,
        extra_fields={
            "body": letter_body_on_release(locked, released_at=now),
            "released_by": user,
            "released_at": now,
        },
        data={"outcome": locked.outcome, "subject": locked.subject},
    )
    _letter_queue(letter)
    return letter


@transaction.atomic
def letter_send_again(*, letter: Letter, user: User) -> Letter:
    """A coordinator sends again a letter whose sending was given up: the recipients it has not
    reached yet (everyone named now, if it reached nobody) are tried for a new period."""
    ensure_coordinator(letter.application, user)
    letter_transition(
        letter=letter, to_status=LetterStatus.RELEASED, actor=user, actor_kind=Actor.COORDINATOR
    )
    _letter_queue(letter)
    return letter


def _letter_queue(letter: Letter) -> None:
    recipients = letter_recipients(letter)
    if not recipients:
        letter_transition(
            letter=letter,
            to_status=LetterStatus.FAILED,
            actor=None,
            actor_kind=Actor.SYSTEM,
            extra_fields={"last_error": _("Nobody acts for the institution any more.")},
        )
        return
    Letter.objects.filter(pk=letter.pk).update(recipients=recipients)
    letter.recipients = recipients
    notification_queue(
        kind=NotificationKind.DECISION_LETTER, object_id=letter.pk, language=settings.LANGUAGE_CODE
    )
    # Sent again after those it had not reached left: everyone named now has it already.
    letter_email_sent(letter, "")


def letter_recipients(letter: Letter) -> list[str]:
    """The representative and deputy named in the application, and the people who manage the
    institution on the portal, with active accounts."""
    application = letter.application
    managers = institution_manager_emails(institution_id=application.institution_id)
    named = [
        person.email
        for person in (application.representative, application.deputy)
        if person and person.is_active
    ]
    return sorted({*named, *managers})


# What the outbox tells of each email of a letter (decisions/notifications.py registers these).


def letter_email_sent(letter: Letter, recipient: str) -> None:
    """Once every recipient has it, the letter is sent."""
    locked = Letter.objects.select_for_update().get(pk=letter.pk)
    if locked.status not in (LetterStatus.RELEASED, LetterStatus.FAILED):
        return
    if set(locked.recipients) - notifications_sent(
        kind=NotificationKind.DECISION_LETTER, object_id=locked.pk
    ):
        return
    letter_transition(
        letter=locked,
        to_status=LetterStatus.SENT,
        actor=None,
        actor_kind=Actor.SYSTEM,
        extra_fields={"sent_at": timezone.now(), "attempts": locked.attempts + 1, "last_error": ""},
        data={"recipients": locked.recipients, "attempts": locked.attempts + 1},
    )


def letter_email_failed(letter: Letter, recipient: str, error: str) -> None:
    """A failed attempt is counted on the letter, with its error, for the coordinators to see."""
    Letter.objects.filter(pk=letter.pk).update(
        attempts=F("attempts") + 1, last_error=f"{recipient}: {error}"[:2000]
    )


def letter_email_gave_up(letter: Letter, recipient: str, error: str) -> None:
    """The outbox gave up on one recipient: the letter is marked failed, to be sent again."""
    letter_email_failed(letter, recipient, error)
    letter.refresh_from_db(fields=["status"])
    if letter.status == LetterStatus.RELEASED:
        letter_transition(
            letter=letter,
            to_status=LetterStatus.FAILED,
            actor=None,
            actor_kind=Actor.SYSTEM,
            reason=error[:500],
        )
