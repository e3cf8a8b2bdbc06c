"""Decision letters: drafted on a decision, released by a coordinator, then sent by Celery."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from accounts.enums import MANAGING_ROLES
from accounts.models import User
from applications.models import Application, StatusChange
from audit.services import audit_record
from calls.models import Call
from decisions.defaults import DEFAULT_LETTERS
from decisions.enums import LetterOutcome, LetterStatus
from decisions.models import Letter, LetterTemplate
from decisions.placeholders import ON_RELEASE, placeholders_fill
from decisions.services import ensure_coordinator, latest_change
from networks.enums import MembershipTier
from notifications.catalogue import CATALOGUE, NotificationKind
from notifications.services import notification_send

RELEASE_TOKEN = "{" + ON_RELEASE + "}"


def instant_text(value: datetime.datetime, call: Call) -> str:
    """An instant as the applicant reads it: in the call's time zone, named (as the call_times
    template tag shows it)."""
    local = timezone.localtime(value, call.zone)
    return f"{dateformat.format(local, 'j F Y, H:i T')} ({call.time_zone})"


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
    Letter.objects.filter(application=application, status=LetterStatus.DRAFT).update(
        status=LetterStatus.SUPERSEDED
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
    """A coordinator releases a draft letter: the applicant sees the decision, and the letter
    is sent by a Celery task once the release is committed."""
    from decisions.tasks import letter_send_task

    ensure_coordinator(letter.application, user)
    locked = (
        Letter.objects.select_for_update().select_related("application__call").get(pk=letter.pk)
    )
    if not locked.is_draft:
        raise ValidationError(
            _("Only a letter in draft can be released; this one is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    now = timezone.now()
    locked.body = letter_body_on_release(locked, released_at=now)
    locked.status = LetterStatus.RELEASED
    locked.released_by = user
    locked.released_at = now
    locked.save(update_fields=["body", "status", "released_by", "released_at"])
    audit_record(
        action="letter.released",
        obj=locked,
        actor=user,
        data={"letter": locked.pk, "outcome": locked.outcome, "subject": locked.subject},
    )
    transaction.on_commit(lambda: letter_send_task.delay(letter_id=locked.pk))
    for name in ("body", "status", "released_by", "released_at"):
        setattr(letter, name, getattr(locked, name))
    return letter


def letter_recipients(letter: Letter) -> list[str]:
    """The representative and deputy named in the application, and the people who manage the
    institution on the portal."""
    application = letter.application
    managers = application.institution.affiliations.filter(
        role__in=MANAGING_ROLES, user__is_active=True
    ).values_list("user__email", flat=True)
    named = [person.email for person in (application.representative, application.deputy) if person]
    return sorted({*named, *managers})


def letter_send(*, letter_id: int) -> bool:
    """Send a released letter to each recipient not yet sent it; True once it is all sent.

    The letter's row stays locked while it is sent, so a duplicate task waits and then finds
    it sent. A failure is recorded on the letter and raised again, for the task to retry;
    recipients already sent it are not sent it again.
    """
    failure = None
    with transaction.atomic():
        letter = (
            Letter.objects.select_for_update(of=("self",))
            # The representative and deputy too: they are among the recipients.
            .select_related(
                "application__institution",
                "application__call",
                "application__representative",
                "application__deputy",
            )
            .filter(pk=letter_id)
            .first()
        )
        if letter is None or letter.status != LetterStatus.RELEASED:
            return False  # gone, not released, or sent already
        letter.attempts += 1
        recipients = CATALOGUE[NotificationKind.DECISION_LETTER].recipients(letter)
        try:
            if not recipients:
                raise ValidationError(_("Nobody acts for the institution any more."))
            notification_send(
                kind=NotificationKind.DECISION_LETTER,
                object_id=letter.pk,
                language=settings.LANGUAGE_CODE,
            )
        except (OSError, ValidationError) as error:
            letter.last_error = f"{type(error).__name__}: {error}"[:2000]
            letter.save(update_fields=["attempts", "last_error"])
            failure = error
        else:
            letter.status = LetterStatus.SENT
            letter.sent_at = timezone.now()
            letter.recipients = recipients
            letter.last_error = ""
            letter.save(update_fields=["attempts", "status", "sent_at", "recipients", "last_error"])
            audit_record(
                action="letter.sent",
                obj=letter,
                actor=None,
                data={"letter": letter.pk, "recipients": recipients, "attempts": letter.attempts},
            )
    if isinstance(failure, OSError):
        raise failure
    return failure is None
