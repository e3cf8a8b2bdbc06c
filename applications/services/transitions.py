"""The one place an application's status changes: an explicit table, a lock, an audit record."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import Actor, ApplicationStatus
from applications.models import Application, StatusChange
from audit.services import audit_record

S = ApplicationStatus

# (from, to) -> who may make that change. Nothing else assigns Application.status.
APPLICANT = frozenset({Actor.APPLICANT})
COORDINATOR = frozenset({Actor.COORDINATOR})
SYSTEM = frozenset({Actor.SYSTEM})

TRANSITIONS: dict[tuple[ApplicationStatus, ApplicationStatus], frozenset[Actor]] = {
    (S.DRAFT, S.SUBMITTED): APPLICANT,
    # Reopened by the applicant to change and resubmit, until the deadline; open reviewer
    # assignments are withdrawn and the application is routed again when resubmitted.
    (S.SUBMITTED, S.DRAFT): APPLICANT,
    (S.ELIGIBLE, S.DRAFT): APPLICANT,
    (S.IN_REVIEW, S.DRAFT): APPLICANT,
    (S.DRAFT, S.WITHDRAWN): APPLICANT,
    (S.SUBMITTED, S.WITHDRAWN): APPLICANT,
    (S.ELIGIBLE, S.WITHDRAWN): APPLICANT,
    (S.IN_REVIEW, S.WITHDRAWN): APPLICANT,
    # The automatic eligibility check, which a coordinator can overrule.
    (S.SUBMITTED, S.ELIGIBLE): SYSTEM | COORDINATOR,
    (S.SUBMITTED, S.INELIGIBLE): COORDINATOR,
    (S.ELIGIBLE, S.INELIGIBLE): COORDINATOR,
    (S.IN_REVIEW, S.INELIGIBLE): COORDINATOR,
    (S.ELIGIBLE, S.IN_REVIEW): SYSTEM | COORDINATOR,
    # Decisions, by a coordinator; a waitlisted or referred application is decided later.
    (S.ELIGIBLE, S.ACCEPTED): COORDINATOR,
    (S.ELIGIBLE, S.REJECTED): COORDINATOR,
    (S.IN_REVIEW, S.ACCEPTED): COORDINATOR,
    (S.IN_REVIEW, S.REJECTED): COORDINATOR,
    (S.IN_REVIEW, S.WAITLISTED): COORDINATOR,
    (S.IN_REVIEW, S.REFERRED): COORDINATOR,
    (S.WAITLISTED, S.ACCEPTED): COORDINATOR,
    (S.WAITLISTED, S.REJECTED): COORDINATOR,
    (S.REFERRED, S.ACCEPTED): COORDINATOR,
    (S.REFERRED, S.REJECTED): COORDINATOR,
    # More information: a coordinator reopens sections; the application returns to where it
    # was when the applicant sends the information, or when the request lapses at its due date.
    (S.SUBMITTED, S.INFORMATION_REQUESTED): COORDINATOR,
    (S.ELIGIBLE, S.INFORMATION_REQUESTED): COORDINATOR,
    (S.IN_REVIEW, S.INFORMATION_REQUESTED): COORDINATOR,
    (S.INFORMATION_REQUESTED, S.SUBMITTED): APPLICANT | SYSTEM,
    (S.INFORMATION_REQUESTED, S.ELIGIBLE): APPLICANT | SYSTEM,
    (S.INFORMATION_REQUESTED, S.IN_REVIEW): APPLICANT | SYSTEM,
    (S.INFORMATION_REQUESTED, S.WITHDRAWN): APPLICANT,
    # Redress: a decision revised on the applicant's request returns the application to review,
    # only through decisions.services.redress.redress_decide; the coordinator decides again.
    (S.REJECTED, S.IN_REVIEW): COORDINATOR,
    (S.WAITLISTED, S.IN_REVIEW): COORDINATOR,
}


class TransitionError(ValidationError):
    """A change of state that the table does not allow for this actor."""


def transition_allowed(*, from_status: str, to_status: str, actor_kind: Actor) -> bool:
    return actor_kind in TRANSITIONS.get((S(from_status), S(to_status)), frozenset())


@transaction.atomic
def application_transition(
    *,
    application: Application,
    to_status: ApplicationStatus,
    actor: User | None,
    actor_kind: Actor,
    reason: str = "",
    check: Callable[[Application], None] | None = None,
    extra_fields: dict | None = None,
) -> Application:
    """Change an application's status, with the row locked, and record who, when, from, to, why.

    `check` runs on the locked row before the change (it raises ValidationError to refuse);
    `extra_fields` are saved with the status.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    from_status = locked.status
    if not transition_allowed(from_status=from_status, to_status=to_status, actor_kind=actor_kind):
        raise TransitionError(
            _("An application that is “%(from)s” cannot become “%(to)s” this way.")
            % {"from": S(from_status).label, "to": S(to_status).label},
            code="transition_not_allowed",
        )
    if check is not None:
        check(locked)
    now = timezone.now()
    locked.status = to_status
    fields = {"status": to_status, **(extra_fields or {})}
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.updated_at = now
    locked.save(update_fields=[*fields, "updated_at"])
    StatusChange.objects.create(
        application=locked,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        at=now,
        reason=reason,
    )
    audit_record(
        action="application.status",
        obj=locked,
        actor=actor,
        reason=reason,
        data={"from": from_status, "to": str(to_status)},
    )
    # The caller's object follows the change too.
    for name, value in fields.items():
        setattr(application, name, value)
    application.updated_at = now
    return application
