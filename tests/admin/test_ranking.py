"""A call's ranking by weighted score; the network's composition if a selection were accepted."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from coordination.ranking import call_ranking, network_composition, ranking_selection
from networks.services import membership_grant_problems
from reviews.models import ReviewerProfile
from tests.factories import (
    AffiliationFactory,
    ApplicationFactory,
    AssignmentFactory,
    CallFactory,
    CriteriaSectionFactory,
    CriterionFactory,
    InstitutionFactory,
    MembershipFactory,
    NetworkFactory,
    ReviewerProfileFactory,
    UserFactory,
    staff_with_mfa,
    submitted_review,
)

pytestmark = pytest.mark.django_db


# The world: a call with two scored criteria and one that is not --------------------------------


@pytest.fixture
def call():
    """A call admitting four named countries; weights 2 (scale 0-5) and 1 (scale 0-10)."""
    call = CallFactory(
        title="Survivorship call",
        admitted_country_groups=[],
        admitted_countries=["IT", "FR", "DE", "ES"],
        tiers_offered=["full_member", "affiliated_partner"],
        disagreement_threshold=25,
        reviews_per_application=3,
    )
    section = CriteriaSectionFactory(criteria_set=call.criteria_set)
    CriterionFactory(section=section, code="A", weight=2, score_min=0, score_max=5, position=1)
    CriterionFactory(section=section, code="B", weight=1, score_min=0, score_max=10, position=2)
    CriterionFactory(section=section, code="T", weight=0, position=3)  # unscored
    return call


def criteria(call):
    found = {c.code: c for c in call.criteria_set.sections.get().criteria.all()}
    return found["A"], found["B"]


def applying(call, name, country="IT", status="in_review", tier="full_member", reviews=()):
    """An application with a submitted review per (A, B) pair of scores."""
    application = ApplicationFactory(
        call=call,
        institution=InstitutionFactory(name=name, country=country),
        status=status,
        tier_requested=tier,
    )
    for number, (score_a, score_b) in enumerate(reviews):
        a, b = criteria(call)
        assignment = AssignmentFactory(application=application, reviewer=reviewer(number))
        submitted_review(assignment, {a: score_a, b: score_b})
    return application


def reviewer(number):
    """The same few reviewers for every application: making users is slow (password hashing)."""
    user = UserFactory(email=f"reviewer{number}@example.org")
    return ReviewerProfile.objects.get_or_create(user=user, defaults={"country": "FR"})[0]


def coordinator_of(network):
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    network.coordinators.add(coordinator)
    return staff_with_mfa(coordinator)


def sign_in(client, role, network):
    """Sign a client in as one of the portal's roles; `network` is the one the pages are about."""
    if role == "anonymous":
        return client
    if role == "applicant":
        user = AffiliationFactory(role="representative").user
    elif role == "reviewer":
        user = ReviewerProfileFactory().user
        user.groups.add(Group.objects.get(name=roles.REVIEWERS))
    elif role == "observer":
        # Staff with a second factor, the worst case: the admin opens, these pages must not.
        user = staff_with_mfa(UserFactory(is_staff=True))
        user.groups.add(Group.objects.get(name=roles.EC_OBSERVERS))
    elif role == "other_coordinator":
        user = coordinator_of(NetworkFactory())
    elif role == "coordinator":
        user = coordinator_of(network)
    elif role == "administrator":
        user = staff_with_mfa(UserFactory(is_staff=True, is_superuser=True))
    client.force_login(user)
    return client


def ranking_url(call, **query):
    url = reverse("admin:applications_application_ranking", args=[call.pk])
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query, doseq=True)
    return url


@pytest.fixture
def coordinator_client(client, call):
    client.force_login(coordinator_of(call.network))
    return client


# Ranking ----------------------------------------------------------------------------------------


def test_ranking_orders_by_mean_weighted_score_and_flags_disagreement(call):
    # A=4 of 5 weighs 2 x 0.8, B=5 of 10 weighs 1 x 0.5: (1.6 + 0.5) / 3 = 70.
    alpha = applying(call, "Alpha", reviews=[(5, 10), (4, 5)])  # 100 and 70: mean 85
    beta = applying(call, "Beta", reviews=[(4, 5)], status="waitlisted")  # 70
    gamma = applying(call, "Gamma", reviews=[(0, 0)], status="eligible")  # 0
    delta = applying(call, "Delta", status="referred")  # not reviewed yet: last
    # A draft review does not count, nor do applications out of the running.
    from reviews.models import Review

    Review.objects.create(assignment=AssignmentFactory(application=beta), status="draft")
    applying(call, "Rejected", status="rejected", reviews=[(5, 10)])
    applying(call, "Withdrawn", status="withdrawn", reviews=[(5, 10)])

    rows = call_ranking(call=call)

    assert [row.application for row in rows] == [alpha, beta, gamma, delta]
    assert [row.score for row in rows] == [85.0, 70.0, 0.0, None]
    assert (rows[0].reviews.done, rows[0].reviews.expected) == (2, 3)
    assert rows[0].reviews.summary.spread == 30.0
    assert rows[0].reviews.summary.disagreement  # 30 > 25
    assert not rows[1].reviews.summary.disagreement
    assert rows[1].reviews.done == 1  # the draft review is not counted


def test_ranking_page_shows_the_rows_best_first(coordinator_client, call):
    applying(call, "Low scorer", reviews=[(1, 1)])
    applying(call, "High scorer", reviews=[(5, 9)])
    applying(call, "Rejected one", status="rejected", reviews=[(5, 10)])

    response = coordinator_client.get(ranking_url(call))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("High scorer") < page.index("Low scorer")
    assert "Rejected one" not in page
    assert "96.7" in page  # (2 x 1 + 1 x 0.9) / 3
    assert "1 / 3" in page


def test_ranking_selects_ticked_and_above_the_cut_never_the_accepted(call):
    top = applying(call, "Top", reviews=[(5, 10)])
    middle = applying(call, "Middle", reviews=[(4, 5)])
    low = applying(call, "Low", reviews=[(0, 0)])
    member = applying(call, "Member", status="accepted", reviews=[(5, 10)])
    rows = call_ranking(call=call)

    def chosen(**kwargs):
        return {row.application for row in ranking_selection(rows, **kwargs)}

    assert chosen() == set()
    assert chosen(cut=70) == {top, middle}
    assert chosen(ticked=[low.pk], cut=90) == {top, low}
    assert chosen(ticked=[member.pk]) == set()


# Composition ------------------------------------------------------------------------------------


@pytest.fixture
def composed(call):
    """A network with a full member from Italy and an affiliated partner from France, and
    applications that the affiliated-partner rule acts on."""
    network = call.network
    MembershipFactory(
        network=network, institution=InstitutionFactory(name="Milan member", country="IT")
    )
    MembershipFactory(
        network=network,
        institution=InstitutionFactory(name="Lyon partner", country="FR"),
        tier="affiliated_partner",
    )
    return {
        "paris": applying(call, "Paris full", country="FR", reviews=[(5, 10)]),
        "rome": applying(call, "Rome partner", country="IT", tier="affiliated_partner"),
        "berlin": applying(call, "Berlin full", country="DE", reviews=[(4, 5)]),
        "munich": applying(call, "Munich partner", country="DE", tier="affiliated_partner"),
        "madrid": applying(call, "Madrid full", country="ES", reviews=[(0, 0)]),
    }


def test_composition_covers_the_countries_of_members_and_selection(call, composed):
    selection = [composed[name] for name in ("paris", "rome", "berlin", "munich")]

    composition = network_composition(call=call, selection=selection)

    covered = {line.code: line for line in composition.covered}
    assert set(covered) == {"IT", "FR", "DE"}
    assert [code for code, _name in composition.not_covered] == ["ES"]
    # Paris joins as a full member, so the Lyon partner's membership would end.
    assert (covered["FR"].members, covered["FR"].new, covered["FR"].full_members) == (1, 1, 1)
    assert covered["FR"].affiliated_partners == 0
    assert [effect.membership.institution.name for effect in composition.ended] == ["Lyon partner"]
    # Rome is refused (Italy has a full member), Munich too (Berlin would be one).
    refused = {effect.application for effect in composition.refused}
    assert refused == {composed["rome"], composed["munich"]}
    tiers = {line.label: (line.before, line.after) for line in composition.tiers}
    assert tiers == {"Full member": (1, 3), "Affiliated partner": (1, 0)}
    assert {line.label: line.after for line in composition.institution_types} == {"Hospital": 3}


def test_composition_refuses_what_membership_grant_refuses(call, composed):
    """The ranking's reading of the affiliated-partner rule agrees with the service's."""
    for application in composed.values():
        composition = network_composition(call=call, selection=[application])
        refused = {effect.application for effect in composition.refused}
        problems = membership_grant_problems(
            institution=application.institution,
            network=call.network,
            tier=application.tier_requested,
        )
        assert (application in refused) == bool(problems), application


def test_ranking_page_shows_the_composition_of_the_ticked_selection(
    coordinator_client, call, composed
):
    response = coordinator_client.get(
        ranking_url(call, shown=1, selected=[composed["rome"].pk, composed["berlin"].pk])
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "2 applications selected." in page
    assert "Italy already has a full member in this network, Milan member" in page
    assert "3 countries covered" in page  # Italy, France, Germany
    not_covered = page[page.index('id="not-covered"') :]
    assert "Spain" in not_covered[: not_covered.index("</ul>")]
    assert f'id="select-{composed["berlin"].pk}" checked' in page


def test_ranking_page_without_a_choice_selects_nothing_and_keeps_the_members(
    coordinator_client, call, composed
):
    response = coordinator_client.get(ranking_url(call))

    assert "0 applications selected." in response.content.decode()
    assert "The network would have 2 members." in response.content.decode()


def test_ranking_page_shows_a_bad_cut_beside_the_field(coordinator_client, call, composed):
    response = coordinator_client.get(ranking_url(call, shown=1, cut="lots"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="cut-errors"' in page
    assert 'value="lots"' in page
    assert 'aria-invalid="true"' in page


def test_ranking_page_cut_selects_the_best(coordinator_client, call, composed):
    response = coordinator_client.get(ranking_url(call, shown=1, cut="60"))

    page = response.content.decode()
    assert "2 applications selected." in page  # Paris (100) and Berlin (70)
    assert "Ends the membership of the affiliated partner Lyon partner." in page


# Who sees it ------------------------------------------------------------------------------------

ROLES_DENIED = ["anonymous", "applicant", "reviewer", "observer"]


@pytest.mark.parametrize("role", ROLES_DENIED)
def test_ranking_and_calls_are_closed_to_other_roles(client, call, role):
    applying(call, "Secret hospital", reviews=[(5, 10)])
    sign_in(client, role, call.network)

    for url in [ranking_url(call), reverse("admin:applications_application_calls")]:
        response = client.get(url)
        assert response.status_code in (302, 403), (role, url)
        if response.status_code == 302:
            assert "login" in response["Location"]
        assert b"Secret hospital" not in response.content
        assert call.title.encode() not in response.content


def test_a_coordinator_of_another_network_finds_no_ranking(client, call):
    applying(call, "Secret hospital", reviews=[(5, 10)])
    sign_in(client, "other_coordinator", call.network)

    assert client.get(ranking_url(call)).status_code == 404
    calls = client.get(reverse("admin:applications_application_calls"))
    assert calls.status_code == 200
    assert call.title not in calls.content.decode()


def test_a_forged_selection_brings_nothing_of_another_network(client, call):
    secret = applying(call, "Secret hospital", country="ES", reviews=[(5, 10)])
    own_call = CallFactory(network=NetworkFactory(), admitted_countries=["ES"])
    client.force_login(coordinator_of(own_call.network))

    response = client.get(ranking_url(own_call, shown=1, selected=[secret.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Secret hospital" not in page
    assert "0 applications selected." in page
    assert "1 admitted country not covered" in page  # Spain stays uncovered


@pytest.mark.parametrize("role", ["coordinator", "administrator"])
def test_coordinators_and_administrators_see_the_ranking_and_the_calls(client, call, role):
    applying(call, "Visible hospital", reviews=[(5, 10)])
    other_call = CallFactory(title="Another network call")
    sign_in(client, role, call.network)

    assert "Visible hospital" in client.get(ranking_url(call)).content.decode()
    calls = client.get(reverse("admin:applications_application_calls")).content.decode()
    assert call.title in calls
    assert reverse("admin:applications_application_ranking", args=[call.pk]) in calls
    assert (other_call.title in calls) == (role == "administrator")


# Queries ----------------------------------------------------------------------------------------


def add_ranked_applications(call, start, stop):
    for number in range(start, stop):
        applying(
            call,
            f"Hospital {number}",
            country=["IT", "DE", "FR"][number % 3],
            tier=["full_member", "affiliated_partner"][number % 2],
            reviews=[(number % 6, number % 11), (5, 10)],
        )


def test_ranking_page_queries_do_not_grow_with_applications(
    coordinator_client, call, count_queries
):
    MembershipFactory(network=call.network, institution=InstitutionFactory(country="FR"))

    def ranking_everything():
        everyone = [a.pk for a in call.applications.all()]
        url = ranking_url(call, shown=1, selected=everyone, cut="10")
        return coordinator_client.get(url)

    add_ranked_applications(call, 0, 1)
    with_one, response = count_queries(ranking_everything)
    assert response.status_code == 200
    add_ranked_applications(call, 1, 50)
    with_fifty, response = count_queries(ranking_everything)

    assert response.content.decode().count('name="selected"') == 50
    assert with_fifty == with_one
    # Sign-in and its checks, the call, the rule, the ranking (four), the memberships.
    assert with_one <= 16


def test_calls_page_queries_do_not_grow_with_calls(client, count_queries):
    network = NetworkFactory()
    client.force_login(coordinator_of(network))

    def calls_page():
        return client.get(reverse("admin:applications_application_calls"))

    ApplicationFactory(call=CallFactory(network=network), status="in_review")
    with_one, response = count_queries(calls_page)
    assert response.status_code == 200
    for _number in range(9):
        ApplicationFactory(call=CallFactory(network=network), status="in_review")
    with_ten, response = count_queries(calls_page)

    assert response.content.decode().count("Ranking and composition") == 10
    assert with_ten == with_one


def test_an_acceptance_whose_letter_is_not_released_counts_as_coming_in(
    coordinator_client, call, composed
):
    """Its membership starts when the letter is released: until then it is not a member, and
    the composition counts it with the selection, not among the members already there."""
    applying(call, "Porto accepted", country="PT", status="accepted", reviews=[(5, 10)])
    response = coordinator_client.get(ranking_url(call))
    assert "The network would have 3 members." in response.content.decode()
