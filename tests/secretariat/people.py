"""The people the issue 11 secretariat tests act as, each with their role, and posting an admin
action of the application workbench as one of them."""

from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from reviews.models import ReviewerProfile
from tests.factories import NetworkFactory, UserFactory, staff_with_mfa

CHANGELIST = "admin:applications_application_changelist"


def coordinator_of(network, email=None):
    user = UserFactory(is_staff=True, **({"email": email} if email else {}))
    user.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    network.coordinators.add(user)
    return staff_with_mfa(user)


def outsiders(applicant):
    """Everyone who must not act: by role, against the application workbench's actions."""
    observer = UserFactory(is_staff=True)
    observer.groups.add(Group.objects.get(name=roles.EC_OBSERVERS))
    reviewer = UserFactory()
    ReviewerProfile.objects.create(user=reviewer, country="FR", languages=["en"])
    return {
        "anonymous": None,
        "applicant": applicant,
        "reviewer": reviewer,
        "observer": staff_with_mfa(observer),
        "coordinator of another network": coordinator_of(NetworkFactory()),
    }


def act(client, action, applications, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [a.pk for a in applications], **extra},
    )
