"""Browser tests: Debian's Chromium driven by Playwright against a live server on PostgreSQL.

A missing Chromium fails these tests (`make test` installs it); nothing is skipped.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# axe-core is evaluated under a name of its own, so that what it does to the page (it copies the
# page's stylesheets into <style> elements to read them) is not taken for the page's doing.
# (A violation names a source of another scheme by its scheme alone: "jane-tests".)
AXE_SCHEME = "jane-tests"
AXE_SOURCE_URL = f"{AXE_SCHEME}://axe-core/axe.min.js"
AXE_SOURCE = (AXE.read_text() if AXE.exists() else "") + f"\n//# sourceURL={AXE_SOURCE_URL}\n"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Only the violations are asked for (resultTypes) and only what a failure message shows comes back
# across the DevTools protocol: axe-core then skips listing every node that passed or needs review,
# and the page no longer sends that list to Python. The same rules run on the same nodes; an admin
# changelist is checked in about a third of the time.
AXE_RUN = """
tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(result => result.violations.map(violation => ({
    id: violation.id,
    help: violation.help,
    nodes: violation.nodes.slice(0, 5).map(node => node.target),
  })))
"""

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it
# are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# What the Content Security Policy refused in the current test, from every page of every context.
CSP_VIOLATIONS: list[str] = []
# Each refusal as the page sees it (with JavaScript on), given to the test through a binding.
REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', event => {
  window.__cspViolation({
    directive: event.effectiveDirective, blocked: event.blockedURI || 'inline',
    source: event.sourceFile, line: event.lineNumber, sample: event.sample,
    page: document.location.href,
  });
});
"""


def _record_violation(violation: dict) -> None:
    if not (violation.get("source") or "").startswith(AXE_SCHEME):
        CSP_VIOLATIONS.append(
            "{page}: {directive} refused {blocked} from {source}:{line} {sample}".format(
                **violation
            )
        )


def watch_content_security_policy(context) -> None:
    """Record every refusal of the policy in this context: the securitypolicyviolation events
    and Chromium's console messages ("Refused to ...", which also come without JavaScript);
    not axe-core's own doings."""
    context.expose_binding("__cspViolation", lambda source, violation: _record_violation(violation))
    context.add_init_script(REPORT_VIOLATIONS)

    def on_console(message):
        text = message.text
        about_the_policy = "Content Security Policy" in text or text.startswith("Refused to")
        if about_the_policy and not message.location.get("url", "").startswith(AXE_SCHEME):
            CSP_VIOLATIONS.append(f"{message.page.url if message.page else ''}: {text}")

    context.on("console", on_console)


class WatchedBrowser:
    """The browser, whose every new context watches the Content Security Policy."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        watch_content_security_policy(context)
        return context

    def new_page(self, **options):
        return self.new_context(**options).new_page()

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: run `make test`, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield WatchedBrowser(browser)
        browser.close()


@pytest.fixture(autouse=True)
def _no_content_security_policy_violation():
    """Every browser test fails if a page it visited broke the Content Security Policy."""
    CSP_VIOLATIONS.clear()
    yield
    assert CSP_VIOLATIONS == [], f"Content Security Policy violations: {CSP_VIOLATIONS}"


@pytest.fixture(autouse=True)
def _static_files_by_their_own_names(settings):
    """The live server answers /static/ itself, from the apps' folders by the files' own names,
    before WhiteNoise could serve the hashed copies production's manifest names: the pages here
    name the files plainly. Hashed names, compression and caching are tested in
    tests/request_path, and served by gunicorn in the fault suite's browser walk."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/Rome"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """WCAG 2.1 AA violations axe-core finds on the page as it is now."""
    # Evaluated through the DevTools protocol, not added as a <script>: the Content Security
    # Policy would refuse an inline script, and the page must keep the policy it is served with.
    page.evaluate(AXE_SOURCE)
    return page.evaluate(AXE_RUN, WCAG_21_AA)


@pytest.fixture
def assert_accessible():
    def check(page):
        violations = axe_violations(page)
        assert violations == [], f"{page.url}: {violations}"

    return check
