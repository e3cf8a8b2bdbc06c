"""Two-factor authentication is required of every role but applicants: a person in such a role
who has not set it up is sent to the activation page on their first sign-in and can open
nothing else until it is done (accounts/second_factor.py)."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from accounts import roles
from accounts.enums import InstitutionRole
from decisions.models import CallDecisionRules
from endorsements.models import NationalEndorser
from reviews.models import ReviewerProfile
from tests.applications.conftest import applicant, call, draft, institution  # noqa: F401
from tests.factories import AffiliationFactory, CallFactory, NetworkFactory, UserFactory
from tests.reviews.test_reviewing import assignment_of, routed  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.mfa_required]

PASSWORD = "a-long-test-password"  # UserFactory's
ACTIVATE = "/accounts/2fa/totp/activate/"


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def in_group(name):
    def make(user):
        user.groups.add(Group.objects.get(name=name))

    return make


def coordinator(user):
    NetworkFactory().coordinators.add(user)


def reviewer(user):
    ReviewerProfile.objects.create(user=user, country="FR")


def endorser(user):
    NationalEndorser.objects.create(user=user, country="IT", authority="Ministero della Salute")


def panellist(user):
    CallDecisionRules.objects.create(call=CallFactory()).panel.add(user)


def staff(user):
    user.is_staff = True
    user.save()


def administrator(user):
    user.is_staff = user.is_superuser = True
    user.save()


ROLES = {
    "administrator": administrator,
    "staff": staff,
    "coordinator": coordinator,
    "reviewer": reviewer,
    "endorser": endorser,
    "decision_board": in_group(roles.DECISION_BOARD),
    "opinion_panel": panellist,
    "observer": in_group(roles.EC_OBSERVERS),
}


def person_in(role):
    user = verified(UserFactory())
    ROLES[role](user)
    return user


def sign_in(client, user):
    """Through allauth's sign-in form, as on a first sign-in."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def open_activation(client):
    """The activation page: allauth asks for the password once more before a second factor is
    added, then shows it."""
    asked = client.get(ACTIVATE)
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    page = client.get(asked["Location"])
    assert page.status_code == 200
    assert client.post(asked["Location"], {"password": PASSWORD})["Location"] == ACTIVATE
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    return page


def activate_totp(user):
    TOTP.activate(user, generate_totp_secret())


def code_for(secret: str, at: int | None = None) -> str:
    import time

    from allauth.mfa import app_settings

    return format_hotp_value(hotp_value(secret, int(at or time.time()) // app_settings.TOTP_PERIOD))


def test_every_role_but_applicants_is_required_by_default(settings):
    assert set(settings.MFA_REQUIRED_ROLES) == set(ROLES)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_a_person_in_the_role_without_two_factor_can_open_nothing_but_the_activation(client, role):
    sign_in(client, person_in(role))
    for page in ["/", "/applications/", "/reviews/", "/dashboards/", "/board/", "/admin/"]:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == ACTIVATE, page
    response = client.post("/applications/", {"anything": "x"})
    assert response["Location"] == ACTIVATE

    asked = client.get(ACTIVATE)
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    page = client.get(asked["Location"])
    assert page.status_code == 200
    assert "two-factor authentication is required" in page.content.decode()
    open_activation(client)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_once_an_authenticator_is_set_up_the_pages_open(client, role):
    user = person_in(role)
    activate_totp(user)
    client.force_login(user)
    assert client.get("/").status_code == 200


def test_applicants_are_not_required_but_may_turn_it_on(client, institution):  # noqa: F811
    user = verified(UserFactory())
    AffiliationFactory(user=user, institution=institution, role=InstitutionRole.REPRESENTATIVE)
    client.force_login(user)
    assert client.get(reverse("applications:mine")).status_code == 200
    page = client.get(reverse("mfa_index"))
    assert page.status_code == 200
    assert f'href="{ACTIVATE}"' in page.content.decode()
    open_activation(client)


def test_a_reviewer_without_two_factor_is_sent_to_enrolment_before_seeing_any_dossier(
    client,
    routed,  # noqa: F811
):
    assignment = assignment_of(routed, "ada@review.example")
    dossier = reverse("reviews:assignment", args=[assignment.public_id])
    sign_in(client, assignment.reviewer.user)
    response = client.get(dossier)
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE
    for listing in [reverse("reviews:assignments"), "/"]:
        assert client.get(listing)["Location"] == ACTIVATE

    # Enrolment through allauth's own activation form, as the person would do it.
    form = open_activation(client).context["form"]
    done = client.post(ACTIVATE, {"code": code_for(form.secret)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=assignment.reviewer.user, type="totp").exists()

    response = client.get(dossier)
    assert response.status_code == 200
    assert routed.institution.name in response.content.decode()


def test_a_reviewer_who_set_it_up_signs_in_with_the_code(client, routed):  # noqa: F811
    assignment = assignment_of(routed, "ada@review.example")
    user = assignment.reviewer.user
    activate_totp(user)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    from allauth.mfa.utils import decrypt

    secret = decrypt(Authenticator.objects.get(user=user, type="totp").data["secret"])
    client.post(reverse("mfa_authenticate"), {"code": code_for(secret)})
    dossier = reverse("reviews:assignment", args=[assignment.public_id])
    assert client.get(dossier).status_code == 200


def test_while_enrolling_one_may_still_sign_out_and_change_the_language(client):
    client.force_login(person_in("reviewer"))
    assert client.post(reverse("set_language"), {"language": "fr", "next": "/"}).status_code == 302
    assert client.get(reverse("mfa_index")).status_code == 200
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_recovery_codes_alone_do_not_count(client):
    user = person_in("observer")
    Authenticator.objects.create(user=user, type="recovery_codes", data={"seed": "x"})
    client.force_login(user)
    assert client.get("/dashboards/")["Location"] == ACTIVATE


def test_the_roles_are_a_setting(client, settings, institution):  # noqa: F811
    settings.MFA_REQUIRED_ROLES = ["applicant"]
    user = verified(UserFactory())
    AffiliationFactory(user=user, institution=institution)
    client.force_login(user)
    assert client.get("/")["Location"] == ACTIVATE
    client.force_login(person_in("reviewer"))
    assert client.get("/reviews/").status_code == 200


def test_a_misspelt_role_fails_the_system_checks(settings):
    settings.MFA_REQUIRED_ROLES = ["reviewer", "reviewers"]
    with pytest.raises(SystemCheckError, match="reviewers"):
        call_command("check")


def test_anonymous_visitors_and_the_sign_in_page_are_untouched(client):
    assert client.get("/").status_code == 200
    assert client.get(reverse("account_login")).status_code == 200


def test_the_requirement_costs_no_query_of_its_own_per_signed_in_request(
    client, settings, count_queries
):
    user = person_in("reviewer")
    activate_totp(user)
    client.force_login(user)
    client.get("/reviews/")  # warm what any running site has warm
    with_requirement, response = count_queries(lambda: client.get("/reviews/"))
    assert response.status_code == 200
    settings.MFA_REQUIRED_ROLES = []
    without, _ = count_queries(lambda: client.get("/reviews/"))
    # Asked in the same query as the roles every page's navigation reads (person_roles_with).
    assert with_requirement == without
    assert re.search("My reviews", response.content.decode())
