"""The one place a decision letter's status changes: an explicit table, a lock, an audit record.

A letter is drafted, released by a coordinator (the applicant then sees the decision), and sent
through the outbox; sending is retried for OUTBOX_RETRY_FOR, after which the letter is marked
failed until a coordinator sends it again. A draft is superseded by a later decision.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import Actor
from audit.services import audit_record
from decisions.enums import LetterStatus
from decisions.models import Letter

L = LetterStatus
COORDINATOR = frozenset({Actor.COORDINATOR})
SYSTEM = frozenset({Actor.SYSTEM})

# (from, to) -> who may make that change. Nothing else assigns Letter.status.
LETTER_TRANSITIONS: dict[tuple[LetterStatus, LetterStatus], frozenset[Actor]] = {
    (L.DRAFT, L.RELEASED): COORDINATOR,
    # A later decision on the application: only the latest one can be announced.
    (L.DRAFT, L.SUPERSEDED): SYSTEM,
    (L.RELEASED, L.SENT): SYSTEM,
    (L.RELEASED, L.FAILED): SYSTEM,
    # A coordinator's "send again", or a retry that got through after all.
    (L.FAILED, L.RELEASED): COORDINATOR,
    (L.FAILED, L.SENT): SYSTEM,
}

# Audit actions by the status reached; the others are recorded as "letter.status".
AUDIT_ACTIONS = {L.RELEASED: "letter.released", L.SENT: "letter.sent", L.FAILED: "letter.failed"}


class LetterTransitionError(ValidationError):
    """A change of a letter's state that the table does not allow for this actor."""


def letter_transition_allowed(*, from_status: str, to_status: str, actor_kind: Actor) -> bool:
    return actor_kind in LETTER_TRANSITIONS.get((L(from_status), L(to_status)), frozenset())


@transaction.atomic
def letter_transition(
    *,
    letter: Letter,
    to_status: LetterStatus,
    actor: User | None,
    actor_kind: Actor,
    reason: str = "",
    extra_fields: dict | None = None,
    data: dict | None = None,
) -> Letter:
    """Change a letter's status, with its row locked, and record who, when, from, to, why.

    `extra_fields` are saved with the status; `data` is added to the audit entry.
    """
    locked = Letter.objects.select_for_update().get(pk=letter.pk)
    from_status = locked.status
    if not letter_transition_allowed(
        from_status=from_status, to_status=to_status, actor_kind=actor_kind
    ):
        raise LetterTransitionError(
            _("A letter that is “%(from)s” cannot become “%(to)s” this way.")
            % {"from": L(from_status).label, "to": L(to_status).label},
            code="transition_not_allowed",
        )
    fields = {"status": to_status, **(extra_fields or {})}
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(fields))
    audit_record(
        action=AUDIT_ACTIONS.get(to_status, "letter.status"),
        obj=locked,
        actor=actor,
        reason=reason,
        data={
            "letter": locked.pk,
            "from": from_status,
            "to": str(to_status),
            **(data or {}),
        },
    )
    for name, value in fields.items():
        setattr(letter, name, value)
    return letter
