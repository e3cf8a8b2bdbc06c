"""An applicant's browser, as far as the fault suite needs one: cookies, forms with their CSRF
token, redirects followed and every status on the way kept.

Each browser speaks from a loopback address of its own (127.0.0.2, 127.0.0.3, ...), as each
applicant has an address of their own: allauth limits sign-ins per address (30 a minute), which
a hundred applicants behind one address would exceed. All traffic stays on the loopback device.
"""

from __future__ import annotations

import functools
import http.client
import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REQUEST_SECONDS = 30
# A page that answers 5xx after the POST redirected is reloaded, as a person would reload it.
RELOADS = 3


@dataclass
class Page:
    status: int | None  # None: no answer at all (refused, reset, timed out)
    url: str
    text: str
    redirects: list[int] = field(default_factory=list)
    error: str = ""

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.url).path


class _FromAddress(urllib.request.HTTPHandler):
    def __init__(self, address: str):
        super().__init__()
        self.address = address

    def http_open(self, request):
        connection = functools.partial(http.client.HTTPConnection, source_address=(self.address, 0))
        return self.do_open(connection, request)


class _KeptRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects (a POST becomes a GET, as in a browser) and notes each status."""

    def __init__(self):
        self.statuses: list[int] = []
        self.last_url = ""

    def redirect_request(self, request, fp, code, msg, headers, newurl):
        self.statuses.append(code)
        self.last_url = newurl
        return super().redirect_request(request, fp, code, msg, headers, newurl)


class Browser:
    def __init__(self, base_url: str, address: str):
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.redirects = _KeptRedirects()
        self.opener = urllib.request.build_opener(
            _FromAddress(address),
            urllib.request.HTTPCookieProcessor(self.cookies),
            self.redirects,
        )

    def open(self, path: str, data: dict | None = None) -> Page:
        url = path if path.startswith("http") else self.base_url + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        self.redirects.statuses, self.redirects.last_url = [], ""
        try:
            with self.opener.open(url, data=body, timeout=REQUEST_SECONDS) as response:
                return Page(
                    response.status,
                    response.url,
                    response.read().decode(errors="replace"),
                    self.redirects.statuses,
                )
        except urllib.error.HTTPError as error:
            return Page(
                error.code,
                error.url or url,
                error.read().decode(errors="replace"),
                self.redirects.statuses,
            )
        except (OSError, http.client.HTTPException) as error:
            # Where it failed: after a redirect, the page the redirect led to.
            return Page(
                None,
                self.redirects.last_url or url,
                "",
                self.redirects.statuses,
                f"{type(error).__name__}: {error}",
            )

    def form_post(self, path: str, fields: dict | None = None) -> Page:
        """Open the form's page, then send it with the CSRF token the page carries."""
        page = self.open(path)
        token = CSRF_FIELD.search(page.text)
        if page.status != 200 or token is None:
            return page
        return self.open(path, {"csrfmiddlewaretoken": token.group(1), **(fields or {})})

    def sign_in(self, email: str, password: str) -> Page:
        """Through allauth's sign-in form; signed in when it lands on "My applications"."""
        return self.form_post("/accounts/login/", {"login": email, "password": password})

    def signed_in(self, page: Page) -> bool:
        return page.status == 200 and page.path == "/applications/"


@dataclass
class Submission:
    """What an applicant saw when pressing "Submit the application"."""

    public_id: str
    posted: Page | None = None
    final: Page | None = None
    reloads: int = 0

    @property
    def success(self) -> bool:
        """A success page: no error on the way, the application's own page, listing its first
        submitted version (with its receipt, or saying the receipt is being prepared)."""
        final = self.final
        return (
            final is not None
            and final.status is not None
            and 200 <= final.status < 300
            and final.path == f"/applications/{self.public_id}/"
            and 'id="version-1"' in final.text
        )

    @property
    def clear_error(self) -> bool:
        """An error page the portal answered with (4xx or 5xx), not silence."""
        return self.final is not None and self.final.status is not None and self.final.status >= 400

    def describe(self) -> str:
        if self.final is None:
            return "not sent"
        if self.final.status is None:
            return "no answer"
        if self.success:
            return "success"
        return str(self.final.status)


def submit_page(public_id: str) -> str:
    return f"/applications/{public_id}/submit/"


def open_submit_form(browser: Browser, public_id: str) -> str | None:
    """The CSRF token of the submit form, as the applicant has the page open; None if not."""
    page = browser.open(submit_page(public_id))
    token = CSRF_FIELD.search(page.text)
    return token.group(1) if page.status == 200 and token else None


def press_submit(browser: Browser, public_id: str, token: str) -> Submission:
    """POST the submit form as the browser does, follow the redirect, reload a failed page."""
    outcome = Submission(public_id)
    outcome.posted = outcome.final = browser.open(
        submit_page(public_id), {"csrfmiddlewaretoken": token}
    )
    # Only the GET the redirect led to is repeated; the form is never sent twice.
    while (
        outcome.final.redirects
        and (outcome.final.status is None or outcome.final.status >= 500)
        and outcome.reloads < RELOADS
    ):
        time.sleep(1)
        outcome.reloads += 1
        outcome.final = browser.open(outcome.final.url)
        outcome.final.redirects = outcome.posted.redirects
    return outcome
