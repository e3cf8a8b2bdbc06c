"""Demo accounts, one per role, and the role groups with the admin permissions they carry."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from accounts import roles
from accounts.enums import InstitutionRole
from accounts.models import Affiliation
from accounts.services import role_groups_ensure
from demo.builders.endorsers import demo_endorsers_ensure
from demo.builders.reviewers import demo_reviewer_profile_ensure
from networks.enums import InstitutionType
from networks.models import Institution, Network

DEMO_EMAIL_DOMAIN = "demo.jane.eu"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    note: str = ""


def demo_accounts_ensure(*, password: str) -> list[DemoLogin]:
    """Create or reset one demo account per role, with a verified primary email; return logins.

    Safe to run again: existing demo accounts get the demo password and their role back.
    """
    groups = role_groups_ensure()
    # The first network by work package number; a stable choice across runs.
    network = Network.objects.order_by("work_package__number").first()
    accounts = [
        ("Applicant", "applicant", {}, None),
        ("Reviewer", "reviewer", {}, roles.REVIEWERS),
        ("Network coordinator", "coordinator", {"is_staff": True}, roles.NETWORK_COORDINATORS),
        ("EC observer", "observer", {}, roles.EC_OBSERVERS),
        ("Decision board member", "board", {}, roles.DECISION_BOARD),
        ("Administrator", "admin", {"is_staff": True, "is_superuser": True}, None),
    ]
    logins = []
    for role, local_part, flags, group_name in accounts:
        email = f"{local_part}@{DEMO_EMAIL_DOMAIN}"
        user = _demo_user_ensure(
            email=email, name=f"Demo {role.lower()}", password=password, **flags
        )
        note = ""
        if group_name:
            user.groups.add(groups[group_name])
        if local_part == "coordinator" and network is not None:
            network.coordinators.add(user)
            note = f"coordinates {network.short_name}"
        if local_part == "board":
            note = "approves or sends back proposed decisions at /board/"
        if local_part == "reviewer":
            demo_reviewer_profile_ensure(user)
            note = "reviews for every network"
        if local_part == "applicant":
            institution = applicant_institution()
            if institution is not None:
                Affiliation.objects.get_or_create(
                    user=user,
                    institution=institution,
                    defaults={"role": InstitutionRole.REPRESENTATIVE},
                )
                note = f"represents {institution.name}"
        logins.append(DemoLogin(role=role, email=email, password=password, note=note))
    logins += [
        DemoLogin(role=role, email=email, password=password, note=note)
        for role, email, note in demo_endorsers_ensure(
            user_ensure=_demo_user_ensure, password=password
        )
    ]
    return logins


def applicant_institution() -> Institution | None:
    """A stable choice: the first Italian hospital by name."""
    return (
        Institution.objects.filter(country="IT", type=InstitutionType.HOSPITAL, parent=None)
        .order_by("name")
        .first()
    )


def _demo_user_ensure(
    *, email: str, name: str, password: str, is_staff: bool = False, is_superuser: bool = False
):
    User = get_user_model()
    user, _created = User.objects.get_or_create(email=email, defaults={"name": name})
    user.is_active = True
    user.is_staff = is_staff
    user.is_superuser = is_superuser
    user.set_password(password)
    user.save()
    # Email verification is mandatory: without a verified address allauth would not let them in.
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user
