"""Writes on accounts: role groups, and the people who act for each institution."""

import datetime
import re
import unicodedata
from difflib import SequenceMatcher

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.enums import InstitutionRole
from accounts.models import Affiliation, Invitation, JoinRequest, User
from accounts.rules import manages_institution
from networks.models import Institution
from notifications.catalogue import NotificationKind
from notifications.services import notification_queue

# What a network coordinator edits in the admin to run calls, and what it only reads.
COORDINATOR_EDITS = {
    "calls": [
        "call",
        "criteriaset",
        "criteriasection",
        "criterion",
        "requireddocument",
        "suspensionperiod",
    ],
    # Assignments are made through the application's workbench, never the assignment's form.
    "reviews": ["reviewerprofile", "reviewercapacity", "routingrun"],
    # Letters and redress requests are never added by hand: their admins refuse it.
    "decisions": ["lettertemplate", "letter", "redressrequest", "calldecisionrules"],
    # Sent once from the add page, never changed (its admin refuses it).
    "applications": ["applicantmessage"],
}
COORDINATOR_READS = {
    "networks": ["network", "institution", "membership"],
    "applications": [
        "application",
        "applicationdocument",
        "submission",
        "endorsement",
        "declaration",
        "deadlineextension",
    ],
    "reviews": ["assignment", "review", "consensusnote", "routingevent", "conflictdeclaration"],
    # Proposals are handled by the decision board, opinions recorded through their service.
    "decisions": ["proposal", "opinion"],
}


def role_groups_ensure() -> dict[str, Group]:
    """Create the role groups if absent and give network coordinators their admin permissions.

    Runs after every migrate. Permissions are only added, never removed, so an administrator's
    own changes survive. EC observers get none: they read dashboards, not the admin.
    """
    # Permissions of apps migrated after this one do not exist yet on a fresh database.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in roles.GROUP_LABELS}
    wanted = Q()
    for app_label, models in COORDINATOR_EDITS.items():
        for model in models:
            codenames = [f"{action}_{model}" for action in ("view", "add", "change")]
            wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    for app_label, models in COORDINATOR_READS.items():
        wanted |= Q(content_type__app_label=app_label, codename__in=[f"view_{m}" for m in models])
    groups[roles.NETWORK_COORDINATORS].permissions.add(*Permission.objects.filter(wanted))
    return groups


# People acting for institutions ---------------------------------------------------------------

INVITATION_VALIDITY = datetime.timedelta(days=14)
# How alike two names must be (0-1, after normalising) to be offered as the same institution.
DUPLICATE_NAME_SIMILARITY = 0.88
_GENERIC_WORDS = {"the", "of", "and", "de", "di", "del", "della", "der", "des", "du", "la", "le"}


def _normalised_name(name: str) -> str:
    without_accents = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", without_accents.lower())
    return " ".join(word for word in words if word not in _GENERIC_WORDS)


def institution_duplicates(*, name: str, country: str, ror_id: str = "") -> list[Institution]:
    """Existing institutions that are probably the one being created.

    The same ROR id anywhere, or in the same country a name that is the same or nearly the same
    once case, accents, punctuation and little words are set aside.
    """
    found: dict[int, Institution] = {}
    if ror_id:
        for institution in Institution.objects.filter(ror_id=ror_id):
            found[institution.pk] = institution
    wanted = _normalised_name(name)
    if wanted:
        candidates = Institution.objects.filter(country=country).only(
            "pk", "name", "acronym", "city", "country", "type"
        )
        for institution in candidates:
            ratio = SequenceMatcher(None, wanted, _normalised_name(institution.name)).ratio()
            if ratio >= DUPLICATE_NAME_SIMILARITY:
                found.setdefault(institution.pk, institution)
    return list(found.values())


@transaction.atomic
def institution_create(*, creator: User, **fields) -> Institution:
    """Create an institution profile; its creator becomes its representative in the portal."""
    institution = Institution(**fields)
    institution.full_clean()
    institution.save()
    Affiliation.objects.create(
        user=creator, institution=institution, role=InstitutionRole.REPRESENTATIVE
    )
    return institution


def _ensure_can_manage(user: User, institution: Institution) -> None:
    if not manages_institution(user, institution):
        raise PermissionDenied(_("Only the institution's representative or deputy may do this."))


@transaction.atomic
def invitation_send(
    *, institution: Institution, email: str, role: InstitutionRole, invited_by: User
) -> Invitation:
    """Invite a colleague by email to act for the institution; the email goes once committed."""
    _ensure_can_manage(invited_by, institution)
    if Affiliation.objects.filter(institution=institution, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This person already acts for the institution.")}, code="already_affiliated"
        )
    # An expired invitation makes way for a new one (it would otherwise block it for ever).
    Invitation.objects.filter(
        institution=institution,
        email__iexact=email,
        accepted_at__isnull=True,
        expires_at__lte=timezone.now(),
    ).delete()
    if Invitation.objects.filter(
        institution=institution, email__iexact=email, accepted_at__isnull=True
    ).exists():
        raise ValidationError(
            {"email": _("This person has already been invited.")}, code="already_invited"
        )
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                institution=institution,
                email=email,
                role=role,
                invited_by=invited_by,
                expires_at=timezone.now() + INVITATION_VALIDITY,
            )
    except IntegrityError as error:  # the same invitation sent twice at the same moment
        raise ValidationError(
            {"email": _("This person has already been invited.")}, code="already_invited"
        ) from error
    notification_queue(kind=NotificationKind.INVITATION, object_id=invitation.pk)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Affiliation:
    """Accept an invitation sent to one of the user's verified email addresses."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."), code="accepted")
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _("This invitation has expired. Ask your colleague to send a new one."), code="expired"
        )
    if not EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists():
        raise ValidationError(
            _(
                "This invitation was sent to %(email)s. Sign in with that address, or add and "
                "verify it in your account, to accept it."
            )
            % {"email": invitation.email},
            code="wrong_email",
        )
    affiliation, _created = Affiliation.objects.get_or_create(
        user=user, institution=invitation.institution, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return affiliation


@transaction.atomic
def join_request_create(*, user: User, institution: Institution, message: str = "") -> JoinRequest:
    """Ask to act for an existing institution; its representative and deputy are told."""
    if Affiliation.objects.filter(user=user, institution=institution).exists():
        raise ValidationError(_("You already act for this institution."), code="already_affiliated")
    if JoinRequest.objects.filter(user=user, institution=institution, decided_at=None).exists():
        raise ValidationError(
            _("You have already asked to join this institution."), code="already_requested"
        )
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                user=user, institution=institution, message=message
            )
    except IntegrityError as error:  # a double click on "Ask to join"
        raise ValidationError(
            _("You have already asked to join this institution."), code="already_requested"
        ) from error
    notification_queue(kind=NotificationKind.JOIN_REQUEST, object_id=join_request.pk)
    return join_request


@transaction.atomic
def join_request_decide(
    *, join_request: JoinRequest, decided_by: User, approve: bool, role: InstitutionRole
) -> JoinRequest:
    """Approve (in a role) or decline a request to join; the person asking is told."""
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    _ensure_can_manage(decided_by, join_request.institution)
    if join_request.decided_at is not None:
        raise ValidationError(_("This request has already been decided."), code="decided")
    join_request.decided_at = timezone.now()
    join_request.decided_by = decided_by
    join_request.approved = approve
    join_request.save(update_fields=["decided_at", "decided_by", "approved"])
    if approve:
        Affiliation.objects.get_or_create(
            user=join_request.user, institution=join_request.institution, defaults={"role": role}
        )
    notification_queue(kind=NotificationKind.JOIN_DECISION, object_id=join_request.pk)
    return join_request
