"""Writes on accounts: the role groups and the admin permissions each role carries."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from accounts import roles

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
}
COORDINATOR_READS = {"networks": ["network", "institution", "membership"]}


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
