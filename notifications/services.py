"""Sending the catalogue's emails through the outbox: one item per recipient, sent once.

`notification_queue` writes, in the caller's transaction, one outbox item per recipient; the
outbox performs it after the commit and retries it until it is sent. `SentNotification` is the
record that makes sending idempotent: an email whose record says sent is never sent again.
"""

import hashlib
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage
from django.db import DatabaseError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notifications.catalogue import CATALOGUE, Notification
from notifications.models import SentNotification
from outbox.registry import Effect, effect_register
from outbox.services import outbox_enqueue

EMAIL_EFFECT = "notifications.email"
logger = logging.getLogger(__name__)


def notification_queue(*, kind: str, object_id: int, language: str | None = None) -> list[str]:
    """Email everyone the kind names about an object, once the current transaction commits.

    The recipients are those of the moment of the change. Returns them. The caller's language
    is stored for recipients without a preferred language (`recipient_language`).
    """
    spec = CATALOGUE[kind]
    recipients = spec.recipients(spec.load(object_id))
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    for recipient in recipients:
        outbox_enqueue(
            kind=EMAIL_EFFECT,
            key=f"email:{kind}:{object_id}:{recipient}",
            payload={
                "kind": kind,
                "object_id": object_id,
                "recipient": recipient,
                "language": language,
            },
        )
    return recipients


def recipient_language(*, email: str, fallback: str | None = None) -> str:
    """The language to write to an address in: the preferred language of the person with that
    address, else the fallback (the language the email was queued in), else LANGUAGE_CODE.

    Read at send time, so a preference changed after queuing still counts. Through
    get_user_model(): notifications sits below accounts in the layers contract.
    """
    preferred = (
        get_user_model()
        ._default_manager.filter(email__iexact=email)
        .exclude(preferred_language="")
        .values_list("preferred_language", flat=True)
        .first()
    )
    return preferred or fallback or settings.LANGUAGE_CODE


def notification_render(*, spec: Notification, kind: str, obj, language: str) -> tuple[str, str]:
    """The subject and body of one email, in the given language."""
    with translation.override(language):
        context = {**spec.context(obj), "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string(f"notifications/{kind}/subject.txt", context).split())
        body = render_to_string(f"notifications/{kind}/body.txt", context)
    return subject, body


def _email_send(payload: dict) -> str | None:
    """The outbox's performer of one email to one recipient, outside any transaction. Returns
    the subject sent, or None when there was nothing to send (sent already, object gone)."""
    kind, object_id, recipient = payload["kind"], payload["object_id"], payload["recipient"]
    if SentNotification.objects.filter(
        kind=kind, object_id=object_id, recipient=recipient, sent_at__isnull=False
    ).exists():
        return None
    spec = CATALOGUE[kind]
    try:
        obj = spec.load(object_id)
    except ObjectDoesNotExist:
        return None  # the object is gone; there is nothing to tell anyone
    language = recipient_language(email=recipient, fallback=payload.get("language"))
    subject, body = notification_render(spec=spec, kind=kind, obj=obj, language=language)
    message = EmailMessage(
        subject, body, to=[recipient], headers={"Message-ID": email_message_id(payload)}
    )
    for attachment in spec.attachments(obj):
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    message.send()
    return subject


def email_message_id(payload: dict) -> str:
    """The email's Message-ID, the same for every attempt: the idempotency key a mail store
    sees. Should a relay die after the server took the email and before it was recorded, the
    copy sent again is the same message, which mailboxes keep once."""
    recipient = hashlib.sha256(payload["recipient"].lower().encode()).hexdigest()[:16]
    domain = urlsplit(settings.SITE_URL).hostname or "jane.invalid"
    return f"<jane.{payload['kind']}.{payload['object_id']}.{recipient}@{domain}>"


def _email_record(payload: dict, subject: str | None) -> None:
    """Record an email as sent, with the outbox item marked done: it is never sent again."""
    if subject is None:
        return
    kind, object_id, recipient = payload["kind"], payload["object_id"], payload["recipient"]
    SentNotification.objects.update_or_create(
        kind=kind,
        object_id=object_id,
        recipient=recipient,
        defaults={"subject": subject[:255], "sent_at": timezone.now()},
    )
    spec = CATALOGUE[kind]
    if spec.sent is None:
        return
    try:
        with transaction.atomic():
            spec.sent(spec.load(object_id), recipient)
    except ObjectDoesNotExist:
        return
    except DatabaseError:
        raise  # the database is unreachable: the whole record is tried again
    except Exception:  # the email left: its record must stand whatever the hook does
        logger.exception("notifications: the hook after sending %s failed", payload)


def _hook(name: str):
    def call(payload: dict, error: str) -> None:
        spec = CATALOGUE[payload["kind"]]
        hook = getattr(spec, name)
        if hook is None:
            return
        try:
            obj = spec.load(payload["object_id"])
        except ObjectDoesNotExist:
            return
        hook(obj, payload["recipient"], error)

    return call


def notifications_sent(*, kind: str, object_id: int) -> set[str]:
    """The recipients an email about an object has reached."""
    return set(
        SentNotification.objects.filter(
            kind=kind, object_id=object_id, sent_at__isnull=False
        ).values_list("recipient", flat=True)
    )


effect_register(
    EMAIL_EFFECT,
    Effect(
        perform=_email_send,
        external=True,
        record=_email_record,
        attempt_failed=_hook("attempt_failed"),
        gave_up=_hook("gave_up"),
    ),
)
