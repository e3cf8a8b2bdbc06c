"""EC observers read and never write: a 403 before any view runs, whatever the view forgets.

An observer (a member of the "EC observers" group with no other privileged role) gets 403 on
every request that could change something (any method but GET, HEAD and OPTIONS) and on every
page of the areas where applicants' people and documents live: the admin, applications and their
documents, reviews, decisions and institution management. Their own account pages (sign-out,
password, two-factor, privacy notice, their data and its erasure), the language switch, the
accessibility feedback form and the Content Security Policy reports stay open.
Signing in leads everyone to "My applications"; an observer, who has none, is taken to the
dashboards instead.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, resolve_url

from dashboards.rules import is_observer_only

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Areas closed to observers whatever the method.
CLOSED_PREFIXES = (
    "/admin/",
    "/applications/",
    "/reviews/",
    "/decisions/",
    "/institutions/",
)
# Where an observer may still send a form: their own account (with the privacy notice, their data
# and its erasure), the language of the pages and the accessibility feedback anyone may send; and
# where their browser reports what the Content Security Policy refused (it writes nothing).
OWN_ACCOUNT_PREFIXES = ("/accounts/", "/i18n/", "/accessibility/", "/csp-report/")


def observer_is_refused(method: str, path: str) -> bool:
    """Whether an observer's request is refused, before asking who the user is."""
    if path.startswith(CLOSED_PREFIXES):
        return True
    return method not in SAFE_METHODS and not path.startswith(OWN_ACCOUNT_PREFIXES)


class ObserverReadOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Ask who the user is only for requests an observer may not make: other pages pay nothing.
        if observer_is_refused(request.method, request.path_info) and is_observer_only(
            request.user
        ):
            if request.method == "GET" and request.path == resolve_url(settings.LOGIN_REDIRECT_URL):
                return redirect("dashboards:overview")
            raise PermissionDenied
        return self.get_response(request)
