"""The one place an application's national endorsement changes state: an explicit table, a
lock, an audit record. Shaped like applications/services/transitions.py."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from endorsements.enums import EndorsementActor, EndorsementState
from endorsements.models import EndorsementChange, NationalEndorsement

S = EndorsementState
ENDORSER = frozenset({EndorsementActor.ENDORSER})
SYSTEM = frozenset({EndorsementActor.SYSTEM})

# (from, to) -> who may make that change. Nothing else assigns NationalEndorsement.state.
TRANSITIONS: dict[tuple[EndorsementState, EndorsementState], frozenset[EndorsementActor]] = {
    # The applicant's letter, as submitted: a new letter replaces one that was confirmed.
    (S.PENDING, S.LETTER_UPLOADED): SYSTEM,
    (S.LETTER_CONFIRMED, S.LETTER_UPLOADED): SYSTEM,
    # A national endorser of the applicant's country acts, until endorsement closes.
    (S.PENDING, S.ENDORSED): ENDORSER,
    (S.PENDING, S.DECLINED): ENDORSER,
    (S.LETTER_UPLOADED, S.LETTER_CONFIRMED): ENDORSER,
    (S.LETTER_UPLOADED, S.ENDORSED): ENDORSER,
    (S.LETTER_UPLOADED, S.DECLINED): ENDORSER,
    # ... and may change their mind while it is open.
    (S.ENDORSED, S.DECLINED): ENDORSER,
    (S.LETTER_CONFIRMED, S.DECLINED): ENDORSER,
    (S.DECLINED, S.ENDORSED): ENDORSER,
    (S.DECLINED, S.LETTER_CONFIRMED): ENDORSER,
}


class TransitionError(ValidationError):
    """A change of an endorsement's state that the table does not allow for this actor."""


def transition_allowed(*, from_state: str, to_state: str, actor_kind: EndorsementActor) -> bool:
    return actor_kind in TRANSITIONS.get((S(from_state), S(to_state)), frozenset())


@transaction.atomic
def endorsement_transition(
    *,
    endorsement: NationalEndorsement,
    to_state: EndorsementState,
    actor: User | None,
    actor_kind: EndorsementActor,
    reason: str = "",
    check: Callable[[NationalEndorsement], None] | None = None,
    extra_fields: dict | None = None,
) -> NationalEndorsement:
    """Change an endorsement's state, with the row locked, and record who, when, from, to, why.

    `check` runs on the locked row before the change (it raises ValidationError to refuse);
    `extra_fields` are saved with the state.
    """
    locked = NationalEndorsement.objects.select_for_update().get(pk=endorsement.pk)
    from_state = locked.state
    if not transition_allowed(from_state=from_state, to_state=to_state, actor_kind=actor_kind):
        raise TransitionError(
            _("An endorsement that is “%(from)s” cannot become “%(to)s” this way.")
            % {"from": S(from_state).label, "to": S(to_state).label},
            code="transition_not_allowed",
        )
    if check is not None:
        check(locked)
    now = timezone.now()
    fields = {"state": to_state, "updated_at": now, **(extra_fields or {})}
    for name, value in fields.items():
        setattr(locked, name, value)
        setattr(endorsement, name, value)  # the caller's object follows the change too
    locked.save(update_fields=list(fields))
    EndorsementChange.objects.create(
        endorsement=locked,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        at=now,
        reason=reason,
    )
    audit_record(
        action="endorsement.state",
        obj=locked,
        actor=actor,
        reason=reason,
        data={"from": from_state, "to": str(to_state)},
    )
    return endorsement
