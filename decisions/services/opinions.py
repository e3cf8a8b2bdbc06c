"""The network's opinion on an application, given before the decision by its coordinators or the
call's opinion panel; and the call's rule that an acceptance needs a favourable one."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import ApplicationStatus
from applications.models import Application
from audit.services import audit_record
from calls.models import Call
from decisions.models import CallDecisionRules, Opinion
from decisions.rules import gives_opinion

# An opinion is given before the decision: on applications still being weighed (and so showing
# nobody a decision not released yet).
OPINION_STATUSES = (ApplicationStatus.ELIGIBLE, ApplicationStatus.IN_REVIEW)


@transaction.atomic
def opinion_give(
    *, application: Application, user: User, favourable: bool, reasons: str
) -> Opinion:
    """Record the network's opinion on an application, replacing an earlier one; audited.

    Refused to anyone but the network's coordinators and the call's opinion panel, and once
    the application is decided (or not yet eligible).
    """
    if not gives_opinion(user, application.call):
        raise PermissionDenied(
            _("Only the network's coordinators or the call's panel may do this.")
        )
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons for the opinion.")})
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in OPINION_STATUSES:
        raise ValidationError(_("The network's opinion is given on an application being weighed."))
    earlier = Opinion.objects.filter(application=locked).first()
    opinion, _created = Opinion.objects.update_or_create(
        application=locked,
        defaults={
            "favourable": favourable,
            "reasons": reasons.strip(),
            "given_by": user,
            "given_at": timezone.now(),
        },
    )
    audit_record(
        action="opinion.given",
        obj=opinion,
        actor=user,
        reason=opinion.reasons,
        data={
            "favourable": favourable,
            "replaces": None if earlier is None else {"favourable": earlier.favourable},
        },
    )
    return opinion


def call_decision_rules(call: Call) -> CallDecisionRules:
    """The call's decision rules, or the defaults (coordinators only, no opinion required)."""
    try:
        return call.decision_rules
    except CallDecisionRules.DoesNotExist:
        return CallDecisionRules(call=call)


def opinion_required_refusal(application: Application) -> str:
    """Why the application cannot be accepted for want of a favourable opinion; empty if it can."""
    if not call_decision_rules(application.call).opinion_required:
        return ""
    opinion = Opinion.objects.filter(application=application).first()
    if opinion is None:
        return _(
            "This call needs the network's favourable opinion before an acceptance; none is given."
        )
    if not opinion.favourable:
        return _(
            "This call needs the network's favourable opinion before an acceptance; it is "
            "unfavourable."
        )
    return ""
