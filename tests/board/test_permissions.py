"""Every role against every new address, from outside: only decision board members reach the
board's pages, only the network's coordinators and the call's panel the opinion pages; a board
member changes nothing but decisions, and reaches no admin unless also staff."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from decisions.models import CallDecisionRules, Proposal
from tests.board.conftest import proposed
from tests.decisions.conftest import board_member, coordinator_of
from tests.factories import CallFactory, ReviewerProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(call, coordinator, applicant, in_review):
    application = proposed(call, "Ospedale di Pisa", proposer=coordinator)
    referral = proposed(call, "Hospital de Braga", "referred", proposer=coordinator, country="PT")
    reviewer = ReviewerProfileFactory().user
    reviewer.groups.add(Group.objects.get_or_create(name=roles.REVIEWERS)[0])
    observer = UserFactory()
    observer.groups.add(Group.objects.get_or_create(name=roles.EC_OBSERVERS)[0])
    other = coordinator_of(CallFactory().network, "other.coordinator@network.example")
    panellist = UserFactory()
    CallDecisionRules.objects.create(call=call).panel.add(panellist)
    return {
        "call": call,
        "proposal": Proposal.objects.get(application=application),
        "referral": Proposal.objects.get(application=referral),
        "users": {
            "applicant": applicant,
            "reviewer": reviewer,
            "observer": observer,
            "coordinator": coordinator,
            "other coordinator": other,
            "panel member": panellist,
            "board member": board_member(),
        },
    }


BOARD_PAGES = ["board:calls", "board:call", "board:settle"]
OPINION_PAGES = ["board:opinion_calls", "board:opinions"]
# Who may open what (200); everyone else signed in gets 403.
ALLOWED = {
    "board member": set(BOARD_PAGES),
    "coordinator": set(OPINION_PAGES),
    "panel member": set(OPINION_PAGES),
    # Their own network's calls are listed; this call's page is refused (below).
    "other coordinator": {"board:opinion_calls"},
}


def url_of(name, world):
    args = {
        "board:call": [world["call"].pk],
        "board:settle": [world["referral"].pk],
        "board:opinions": [world["call"].pk],
    }.get(name, [])
    return reverse(name, args=args)


@pytest.mark.parametrize("name", BOARD_PAGES + OPINION_PAGES)
def test_each_role_against_each_page(client, world, name):
    url = url_of(name, world)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for role, user in world["users"].items():
        client.force_login(user)
        expected = 200 if name in ALLOWED.get(role, set()) else 403
        assert client.get(url).status_code == expected, (role, name)
        client.logout()


def test_nobody_but_the_board_posts_to_the_board(client, world):
    url = url_of("board:call", world)
    proposal = world["proposal"]
    for role, user in world["users"].items():
        if role == "board member":
            continue
        client.force_login(user)
        response = client.post(url, {"proposals": [proposal.pk], "action": "approve"})
        assert response.status_code == 403, role
        settle = client.post(
            url_of("board:settle", world), {"outcome": "accepted", "reason": "Yes."}
        )
        assert settle.status_code == 403, role
    proposal.refresh_from_db()
    world["referral"].refresh_from_db()
    assert proposal.status == "proposed" and world["referral"].status == "proposed"


def test_a_board_member_changes_nothing_but_decisions(client, world, in_review):
    member = world["users"]["board member"]
    client.force_login(member)
    # No admin: not staff.
    admin = client.get(reverse("admin:applications_application_changelist"))
    assert admin.status_code == 302 and "/admin/login/" in admin["Location"]
    post = client.post(
        reverse("admin:applications_application_changelist"),
        {"action": "accept", "_selected_action": [in_review.pk], "confirm": "1", "reason": "x"},
    )
    assert post.status_code == 302
    # No opinion (not of the network, not on the panel), no letter, no application.
    opinions = reverse("board:opinions", args=[world["call"].pk])
    prefix = f"a{in_review.pk}"
    given = client.post(
        opinions,
        {"application": in_review.pk, f"{prefix}-favourable": "yes", f"{prefix}-reasons": "x"},
    )
    assert given.status_code == 403
    assert not in_review.__class__.objects.filter(pk=in_review.pk, status="accepted").exists()
    assert client.get(reverse("applications:mine")).status_code == 200  # their own: none
    assert "Ospedale di Pisa" not in client.get(reverse("applications:mine")).content.decode()


def test_a_board_member_who_is_staff_reaches_the_admin_only_as_staff(client, world):
    from tests.factories import staff_with_mfa

    member = world["users"]["board member"]
    member.is_staff = True
    member.save(update_fields=["is_staff"])
    client.force_login(staff_with_mfa(member))
    assert client.get(reverse("admin:index")).status_code == 200
    # Staff without a network sees no application in the scoped admin.
    page = client.get(reverse("admin:applications_application_changelist"))
    assert "Ospedale di Pisa" not in page.content.decode()
