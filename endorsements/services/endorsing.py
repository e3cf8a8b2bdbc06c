"""An application's national endorsement: opened when it is submitted, decided by a national
endorser of its country in the portal (or by confirming the applicant's letter), and read by
the automatic eligibility check."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import ApplicationStatus, DocumentPurpose
from applications.models import Application, ApplicationDocument
from endorsements.enums import EndorsementActor, EndorsementState, EndorserDecision
from endorsements.models import NationalEndorsement, NationalEndorser
from endorsements.services.transitions import endorsement_transition
from instants.formatting import instant_text
from notifications.catalogue import NotificationKind
from notifications.services import notification_queue

S = EndorsementState
# An application a national endorser may act on: submitted, and neither reopened nor withdrawn.
NOT_ENDORSABLE = (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)


def current_letter(application: Application) -> ApplicationDocument | None:
    """The applicant's current letter of endorsement, if any."""
    return ApplicationDocument.objects.filter(
        application=application, purpose=DocumentPurpose.ENDORSEMENT, superseded_at__isnull=True
    ).first()


def endorsement_ensure(*, application: Application) -> NationalEndorsement:
    """The application's endorsement record, written (pending) the first time it is asked for."""
    endorsement, _created = NationalEndorsement.objects.get_or_create(application=application)
    return endorsement


def _letter_record(endorsement: NationalEndorsement, application: Application) -> None:
    """Record a letter the application carries that its endorsement does not know yet: a
    pending endorsement (or one whose letter was replaced) becomes "letter uploaded"."""
    letter = current_letter(application)
    if (
        letter is not None
        and letter.pk != endorsement.letter_id
        and endorsement.state in (S.PENDING, S.LETTER_CONFIRMED)
    ):
        endorsement_transition(
            endorsement=endorsement,
            to_state=S.LETTER_UPLOADED,
            actor=None,
            actor_kind=EndorsementActor.SYSTEM,
            reason=_("The application was submitted with a letter of endorsement."),
            extra_fields={"letter": letter},
        )


@transaction.atomic
def endorsement_open(*, application: Application) -> NationalEndorsement:
    """Open the endorsement of a submitted application: record the letter it was submitted
    with, and tell the active national endorsers of its country once each.

    Called by the routing of each submission (workflow.routing), so a resubmission with a new
    letter asks for it to be confirmed again. Idempotent: the notification is sent once per
    (application, endorser).
    """
    endorsement = endorsement_ensure(application=application)
    _letter_record(endorsement, application)
    if application.call.endorsement_open_at(timezone.now()):
        notification_queue(kind=NotificationKind.ENDORSEMENT_REQUEST, object_id=application.pk)
    return endorsement


def endorser_of(user: User) -> NationalEndorser | None:
    """The user's active national endorser role, if any."""
    if not user.is_authenticated:
        return None
    return NationalEndorser.objects.filter(user=user, active=True).first()


def _closed_message(application: Application) -> str:
    call = application.call
    return _("Endorsement for this call closed on %(deadline)s.") % {
        "deadline": instant_text(call.endorsement_deadline, call.time_zone)
    }


def endorsement_decide(
    *,
    application: Application,
    user: User,
    decision: EndorserDecision,
    signatory_name: str,
    signatory_role: str,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> NationalEndorsement:
    """A national endorser of the application's country endorses it in the portal, confirms
    the letter the applicant uploaded, or declines it (with a reason), signing with a name and
    a role; refused with every reason otherwise.

    Doing again what is already done changes nothing (a double submit is harmless).
    """
    endorser = endorser_of(user)
    if endorser is None or endorser.country.code != application.institution.country.code:
        raise PermissionDenied(
            _("Only a national endorser of the applicant's country may endorse it.")
        )
    instant = now or timezone.now()
    target = {
        EndorserDecision.ENDORSE: S.ENDORSED,
        EndorserDecision.CONFIRM_LETTER: S.LETTER_CONFIRMED,
        EndorserDecision.DECLINE: S.DECLINED,
    }[EndorserDecision(decision)]

    def check(locked: NationalEndorsement) -> None:
        problems = {}
        call = application.call
        if not call.endorsement_open_at(instant):
            problems.setdefault("__all__", []).append(_closed_message(application))
        if application.status in NOT_ENDORSABLE:
            problems.setdefault("__all__", []).append(
                _("This application is not submitted at the moment: it cannot be endorsed.")
            )
        if target == S.ENDORSED and not call.endorsement_in_portal:
            problems.setdefault("__all__", []).append(
                _("This call accepts only a letter uploaded by the applicant: confirm the letter.")
            )
        if target == S.LETTER_CONFIRMED and locked.letter_id is None:
            problems.setdefault("__all__", []).append(
                _("The applicant has uploaded no letter to confirm.")
            )
        if target == S.DECLINED and not reason.strip():
            problems["reason"] = [_("Say why the endorsement is declined.")]
        if not signatory_name.strip():
            problems["signatory_name"] = [_("Give the name of the person who signs.")]
        if not signatory_role.strip():
            problems["signatory_role"] = [_("Give the role of the person who signs.")]
        if problems:
            raise ValidationError(problems)

    with transaction.atomic():
        application = Application.objects.select_related("call", "institution").get(
            pk=application.pk
        )
        endorsement = endorsement_ensure(application=application)
        if application.status not in NOT_ENDORSABLE:
            # The endorser may act before the submission's routing has recorded its letter.
            _letter_record(endorsement, application)
        if endorsement.state == target:
            return endorsement
        endorsement_transition(
            endorsement=endorsement,
            to_state=target,
            actor=user,
            actor_kind=EndorsementActor.ENDORSER,
            reason=reason.strip(),
            check=check,
            extra_fields={
                "endorser": endorser,
                "signatory_name": signatory_name.strip(),
                "signatory_role": signatory_role.strip(),
                "reason": reason.strip(),
                "decided_at": instant,
            },
        )
    return endorsement


def endorsement_refusals(*, application: Application) -> list[str]:
    """Why the national endorsement makes the application ineligible: it was declined."""
    endorsement = NationalEndorsement.objects.filter(application=application).first()
    if endorsement is None or endorsement.state != S.DECLINED:
        return []
    return [_("The national endorsement was declined: %(reason)s") % {"reason": endorsement.reason}]
