"""Issue 13, accessibility: every admin page a coordinator or an administrator uses has no WCAG 2.1
AA violation that axe-core finds.

The portal is filled with the demo (a small scale), so every changelist has rows and every change
form has an object. As the administrator and as a coordinator, the sweep opens each registered
model's changelist, its add form and the change form of its first row (where the role may see
them), the admin's own pages that take an object or a call (a call's set-up, an application's
reviewers and opinion, a call's ranking...) and the pages of the actions that ask for more (a
decision, a request for information, a message, letters to release).
"""

import datetime
import zoneinfo

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, reverse

from demo.builders.accounts import demo_accounts_ensure
from demo.seed import DEMO_PASSWORD, demo_data_seed
from tests.browser.conftest import axe_violations
from tests.browser.test_coordinator import PASSWORD, sign_in
from tests.factories import staff_with_mfa

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The standard views every ModelAdmin has; what is left of its URLs are the admin's own pages.
STANDARD_VIEWS = ("changelist", "add", "change", "delete", "history", "autocomplete")
# Admin pages that answer a file or act at once on GET: not pages anyone reads.
NOT_PAGES = ("_export", "_audit_export", "_apply", "_discard")
FIRST_ROW_LINK = "#result_list tbody tr:first-child a[href*='/change/']"


@pytest.fixture
def demo_portal(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    today = datetime.datetime.now(zoneinfo.ZoneInfo(settings.DEFAULT_CALL_TIME_ZONE)).date()
    demo_data_seed(today=today, scale=0.05)
    demo_accounts_ensure(password=DEMO_PASSWORD)


def _demo_staff(local_part):
    """A demo staff account with an authenticator app, signing in with the tests' password."""
    user = get_user_model().objects.get(email=f"{local_part}@demo.jane.eu")
    user.set_password(PASSWORD)
    user.save()
    return staff_with_mfa(user)


def _custom_admin_patterns():
    """(model admin, URL name, the names of its arguments) of each admin page of our own."""
    found = []
    for model_admin in admin.site._registry.values():
        info = (model_admin.model._meta.app_label, model_admin.model._meta.model_name)
        standard = {f"{info[0]}_{info[1]}_{view}" for view in STANDARD_VIEWS}
        for pattern in model_admin.get_urls():
            if isinstance(pattern, URLResolver) or not isinstance(pattern, URLPattern):
                continue
            name = pattern.name
            if not name or name in standard or name.endswith(NOT_PAGES):
                continue
            found.append((model_admin, name, sorted(pattern.pattern.regex.groupindex)))
    return found


def _custom_admin_urls(changes: dict[str, str]) -> list[str]:
    """The admin's own pages, their object taken from the change form the role could open."""
    from calls.models import Call

    call_id = Call.objects.filter(applications__isnull=False).order_by("pk").first().pk
    urls = []
    for model_admin, name, arguments in _custom_admin_patterns():
        label = model_admin.model._meta.label_lower
        kwargs = {}
        for argument in arguments:
            if argument == "call_id":
                kwargs[argument] = call_id
            elif label in changes:
                kwargs[argument] = changes[label]
        if len(kwargs) < len(arguments):
            continue  # the role sees no object of this model
        urls.append(reverse(f"admin:{name}", kwargs=kwargs))
    return urls


def _violations_on(page, path) -> list:
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    return axe_violations(page)


def _sweep(page) -> tuple[dict, list[str]]:
    problems = {}
    seen = []
    changes = {}
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        response = page.goto(changelist)
        if response.status == 403:
            continue  # this role does not see the model
        assert response.status == 200, f"{changelist}: {response.status}"
        seen.append(changelist)
        if violations := axe_violations(page):
            problems[changelist] = violations
        first = page.locator(FIRST_ROW_LINK).first
        change = first.get_attribute("href") if first.count() else None
        add_link = page.locator(".object-tools a.addlink")
        add = add_link.first.get_attribute("href") if add_link.count() else None
        for path in [add, change]:
            if path is None:
                continue
            seen.append(path)
            if violations := _violations_on(page, path):
                problems[path] = violations
        if change:
            changes[model._meta.label_lower] = change.rstrip("/").split("/")[-2]
    for path in [reverse("admin:index"), *_custom_admin_urls(changes)]:
        seen.append(path)
        if violations := _violations_on(page, path):
            problems[path] = violations
    return problems, seen


def test_every_admin_page_the_administrator_uses_is_accessible(page, demo_portal):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, _demo_staff("admin"), second_factor=True)
    problems, seen = _sweep(page)
    assert len(seen) > 100
    assert problems == {}


def test_every_admin_page_a_coordinator_uses_is_accessible(page, demo_portal):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, _demo_staff("coordinator"), second_factor=True)
    problems, seen = _sweep(page)
    assert any("/applications/application/" in path for path in seen)
    assert problems == {}
