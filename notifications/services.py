"""Sending the catalogue's emails: queued once the change is committed, sent at most once."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notifications.catalogue import CATALOGUE
from notifications.models import SentNotification


def notification_queue(*, kind: str, object_id: int) -> None:
    """Send a notification about an object once the current transaction commits."""
    from notifications.tasks import notification_send_task

    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(
        lambda: notification_send_task.delay(kind=kind, object_id=object_id, language=language)
    )


def notification_send(*, kind: str, object_id: int, language: str) -> int:
    """Send a notification to each recipient not yet sent it; return how many were sent."""
    spec = CATALOGUE[kind]
    try:
        obj = spec.load(object_id)
    except ObjectDoesNotExist:
        return 0  # the object is gone; there is nothing to tell anyone
    sent = 0
    with translation.override(language):
        context = {**spec.context(obj), "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string(f"notifications/{kind}/subject.txt", context).split())
        body = render_to_string(f"notifications/{kind}/body.txt", context)
        attachments = None
        for recipient in spec.recipients(obj):
            record = _claim(kind=kind, object_id=object_id, recipient=recipient, subject=subject)
            if record is None:
                continue
            if attachments is None:
                attachments = spec.attachments(obj)
            message = EmailMessage(subject, body, to=[recipient])
            for attachment in attachments:
                message.attach(attachment.filename, attachment.content, attachment.mimetype)
            message.send()
            SentNotification.objects.filter(pk=record.pk).update(sent_at=timezone.now())
            sent += 1
    return sent


def _claim(*, kind: str, object_id: int, recipient: str, subject: str) -> SentNotification | None:
    """The record for this email if it still has to be sent; None if it was sent already."""
    try:
        with transaction.atomic():
            return SentNotification.objects.create(
                kind=kind, object_id=object_id, recipient=recipient, subject=subject
            )
    except IntegrityError:
        record = SentNotification.objects.get(kind=kind, object_id=object_id, recipient=recipient)
        # A record left unsent by a crash between claiming and sending is sent again.
        return None if record.sent_at else record
