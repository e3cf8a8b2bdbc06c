"""The catalogue of emails the portal sends: for each kind, who gets it and what it says.

The kinds are named here; each app registers what its kinds load, who receives them and what
they say, in its AppConfig.ready() (`accounts/notifications.py`, `applications/notifications.py`,
...), so this app imports none of them. Subjects and bodies are templates in
templates/notifications/<kind>/{subject,body}.txt.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models


class NotificationKind(models.TextChoices):
    INVITATION = "invitation"
    JOIN_REQUEST = "join_request"
    JOIN_DECISION = "join_decision"
    SUBMISSION_RECEIPT = "submission_receipt"
    ASSIGNMENT = "assignment"
    REVIEW_REMINDER = "review_reminder"
    DECISION_LETTER = "decision_letter"
    REDRESS_REQUEST = "redress_request"
    REDRESS_OUTCOME = "redress_outcome"
    INFORMATION_REQUEST = "information_request"
    # Issue 11: a reviewer's assignment paused, resumed or ended; the secretariat's tools.
    ASSIGNMENT_PAUSED = "assignment_paused"
    ASSIGNMENT_RESUMED = "assignment_resumed"
    ASSIGNMENT_ENDED = "assignment_ended"
    DEADLINE_EXTENSION = "deadline_extension"
    APPLICANT_MESSAGE = "applicant_message"
    ENDORSEMENT_REQUEST = "endorsement_request"
    ENDORSEMENT_REMINDER = "endorsement_reminder"
    PROPOSAL_SENT_BACK = "proposal_sent_back"
    # Issue 13: a person's erasure request refused, with the secretariat's reason.
    ERASURE_REFUSED = "erasure_refused"
    # Issue 13: a message sent from the accessibility statement, to the secretariat.
    ACCESSIBILITY_FEEDBACK = "accessibility_feedback"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def _no_attachments(obj) -> list[Attachment]:
    return []


@dataclass(frozen=True)
class Notification:
    load: Callable[[int], object]  # raises DoesNotExist when the object is gone
    recipients: Callable[[object], list[str]]
    context: Callable[[object], dict]
    attachments: Callable[[object], list[Attachment]] = field(default=_no_attachments)
    # Told once the email reached one recipient, in the same transaction as its record.
    sent: Callable[[object, str], None] | None = None
    # Told of a failed attempt to send to one recipient, and when sending was given up.
    attempt_failed: Callable[[object, str, str], None] | None = None
    gave_up: Callable[[object, str, str], None] | None = None


CATALOGUE: dict[str, Notification] = {}


def notification_register(kind: str, notification: Notification) -> None:
    """Say how to send one kind of email; each kind has one owner."""
    if kind in CATALOGUE and CATALOGUE[kind] != notification:
        raise ValueError(f"The notification {kind!r} is registered twice.")
    CATALOGUE[kind] = notification
