"""Who may open the dashboards, and an EC observer's read-only access to everything else."""

import uuid

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

from applications.models import Application
from dashboards.presentation import FIGURE_SLUGS
from tests.dashboards.conftest import APPLICANT_PEOPLE, PASSWORD, applications_bulk, person
from tests.factories import InstitutionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def dashboard_urls(call) -> list[str]:
    network = call.network
    return [
        reverse("dashboards:overview"),
        reverse("dashboards:network", args=[network.slug]),
        reverse("dashboards:call", args=[call.slug]),
        reverse("dashboards:overview_csv", args=["countries"]),
        reverse("dashboards:network_csv", args=[network.slug, "status"]),
        reverse("dashboards:call_csv", args=[call.slug, "funnel"]),
    ]


def test_dashboards_send_visitors_to_sign_in(client, palliative_call):
    for url in dashboard_urls(palliative_call):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_dashboards_are_refused_to_applicants_and_reviewers(client, palliative_call, applicant):
    reviewer = person("reviewer@example.org", group="Reviewers")
    for user in (applicant, reviewer):
        client.force_login(user)
        for url in dashboard_urls(palliative_call):
            assert client.get(url).status_code == 403, (user, url)


@pytest.mark.parametrize("role", ["observer", "coordinator", "administrator"])
def test_dashboards_open_to_observers_coordinators_and_administrators(
    client, palliative_call, request, role
):
    client.force_login(request.getfixturevalue(role))
    for url in dashboard_urls(palliative_call):
        assert client.get(url).status_code == 200, url


def test_navigation_shows_dashboards_only_to_those_who_may_open_them(client, observer, applicant):
    client.force_login(observer)
    page = client.get(reverse("calls:list")).content
    assert b'href="/dashboards/"' in page
    # Nor does an observer's navigation offer the applicants' areas, which would answer 403.
    assert reverse("applications:mine").encode() not in page
    client.force_login(applicant)
    page = client.get(reverse("calls:list")).content
    assert b'href="/dashboards/"' not in page
    assert reverse("applications:mine").encode() in page


# Where an observer may still go: public pages, the dashboards, their own account.
# /csp-report/: where the browser reports Content Security Policy refusals (writes nothing).
OPEN_TO_OBSERVERS = (
    "/networks/",
    "/calls/",
    "/dashboards/",
    "/accounts/",
    "/i18n/",
    "/accessibility/",
    "/privacy/",
    "/csp-report/",
)
SAMPLES = {IntConverter: "1", UUIDConverter: str(uuid.uuid4())}


def every_url(resolver=None, prefix="/") -> list[str]:
    """A concrete address for every pattern of the site, parameters filled with samples; the
    admin's patterns, written as regular expressions, are taken from its model registry."""
    resolver = resolver or get_resolver()
    urls = []
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if route.startswith("^"):  # regular expressions: the admin's own catch-alls
            continue
        for name, converter in pattern.pattern.converters.items():
            sample = SAMPLES.get(type(converter), "sample")
            route = route.replace(f"<{type(converter).__name__}:{name}>", sample)
            for label in ("int", "uuid", "slug", "str", "path"):
                route = route.replace(f"<{label}:{name}>", sample)
            route = route.replace(f"<{name}>", sample)
        if isinstance(pattern, URLResolver):
            urls += every_url(pattern, prefix + route)
        elif isinstance(pattern, URLPattern):
            urls.append(prefix + route)
    return urls


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls += [
            reverse("admin:app_list", args=[info[0]]),
            reverse("admin:{}_{}_changelist".format(*info)),
            reverse("admin:{}_{}_add".format(*info)),
            reverse("admin:{}_{}_change".format(*info), args=[1]),
            reverse("admin:{}_{}_delete".format(*info), args=[1]),
        ]
    return urls


def test_every_url_is_found():
    """The enumeration below really covers the site: a few addresses it must have found."""
    urls = every_url()
    assert "/institutions/new/" in urls
    assert any(u.startswith("/applications/documents/") for u in urls)
    assert any(u.endswith("/withdraw/") for u in urls)
    assert len(admin_urls()) > 20


def closed_to_observers(url: str) -> bool:
    return url != "/" and not url.startswith(OPEN_TO_OBSERVERS)


def test_observer_gets_403_on_every_write_admin_and_document_url(client, observer):
    client.force_login(observer)
    urls = every_url()
    closed = [url for url in [*urls, *admin_urls()] if closed_to_observers(url)]
    assert len(closed) > 100
    for url in closed:
        if url == reverse("applications:mine"):  # where signing in leads: see the next test
            continue
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    # Public and dashboard pages are read, never written, by an observer.
    for url in urls:
        if not closed_to_observers(url) and not url.startswith(
            ("/accounts/", "/i18n/", "/accessibility/", "/csp-report/")
        ):
            assert client.get(url).status_code != 403, url
            assert client.post(url, {}).status_code == 403, url


def test_observer_gets_403_on_an_existing_document_and_application(
    client, observer, palliative_call
):
    (application,) = applications_bulk(palliative_call, 1)
    client.force_login(observer)
    for url in [
        application.get_absolute_url(),
        reverse("applications:withdraw", args=[application.public_id]),
        reverse("applications:documents", args=[application.public_id]),
        reverse("applications:document", args=[uuid.uuid4()]),
        reverse("admin:applications_application_changelist"),
    ]:
        assert client.get(url).status_code == 403, url


def test_observer_lands_on_the_dashboards_after_signing_in(client, observer):
    response = client.post(
        reverse("account_login"), {"login": observer.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dashboards:overview")
    assert response.status_code == 200


def test_observer_can_still_sign_out_and_change_language(client, observer):
    client.force_login(observer)
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_read_only_rule_leaves_other_people_alone(client, applicant, palliative_call):
    client.force_login(applicant)
    assert client.get(reverse("applications:mine")).status_code == 200
    assert client.get(reverse("accounts:institution_create")).status_code == 200


def test_a_coordinator_who_also_observes_keeps_the_admin(client, coordinator):
    coordinator.groups.add(*observer_group())
    client.force_login(coordinator)
    assert client.get(reverse("admin:index")).status_code == 200


def observer_group():
    from django.contrib.auth.models import Group

    return Group.objects.filter(name="EC observers")


def test_dashboards_and_csv_hold_no_personal_data_of_applicants(client, observer, palliative_call):
    applications = applications_bulk(palliative_call, 24)
    people = []
    for (name, email), application in zip(APPLICANT_PEOPLE, applications[:4:2], strict=True):
        representative = UserFactory(name=name, email=email)
        deputy = UserFactory(name=f"{name} Deputy", email=f"deputy.{email}")
        Application.objects.filter(pk=application.pk).update(
            representative=representative, deputy=deputy, created_by=representative
        )
        people += [representative, deputy]
    MembershipFactory(network=palliative_call.network, institution=InstitutionFactory(country="IE"))
    cache.clear()
    client.force_login(observer)
    network = palliative_call.network
    pages = [
        reverse("dashboards:overview"),
        reverse("dashboards:network", args=[network.slug]),
        reverse("dashboards:call", args=[palliative_call.slug]),
    ]
    for slug in FIGURE_SLUGS:
        pages += [
            reverse("dashboards:overview_csv", args=[slug]),
            reverse("dashboards:network_csv", args=[network.slug, slug]),
            reverse("dashboards:call_csv", args=[palliative_call.slug, slug]),
        ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for user in people:
            assert user.name not in text, url
            assert user.email not in text, url
            assert user.email.split("@")[0] not in text, url
        assert "@" not in text.replace(observer.email, ""), url
    # The figures are there all the same: the call's applications were counted.
    overview = client.get(pages[2]).content.decode()
    assert "Palliative care call 2026" in overview


def test_observer_may_use_their_personal_data_rights_and_send_accessibility_feedback(
    client, observer
):
    client.force_login(observer)
    for url in [
        reverse("erasure:request"),
        reverse("privacy:my_data"),
        reverse("privacy:notice"),
        reverse("accessibility:statement"),
    ]:
        assert client.get(url).status_code == 200, url
    response = client.post(reverse("accessibility:statement"), {"message": ""})
    assert response.status_code == 400  # the form again, with its error, not a 403
    assert "This field is required" in response.content.decode()
