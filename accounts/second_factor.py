"""Who must sign in with a second factor, and the middleware that sends them to set one up.

Each role a person can hold is registered here by the app that owns it (from its
`AppConfig.ready()`), as a name and a boolean SQL expression over the user (`OuterRef("pk")`):
accounts registers staff, administrators and network coordinators, and the apps above add
reviewers, national endorsers, decision board and opinion panel members, and EC observers.
`MFA_REQUIRED_ROLES` names the roles that require two-factor authentication (every role but
applicants by default; applicants may still turn it on from their account).

A signed-in person who holds such a role and has no authenticator app (or security key) is
sent to allauth's activation page, with a message saying why, from every page but the few
they need to set it up or to leave (two-factor pages, reauthentication, sign-out, the language
switch, `MFA_ENROLMENT_OPEN_PATHS`). One query per signed-in request answers both questions
(is a second factor set up, does a role require one); it is remembered on the user for the rest
of the request, so the admin's own requirement (accounts/admin_access.py) asks nothing more.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.checks import Error, register
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

# The kinds of authenticator that count as a second factor. Recovery codes alone do not: they are
# a fallback for an authenticator, not one.
SECOND_FACTOR_TYPES = ["totp", "webauthn"]

# Pages a person who must enrol can still open, by URL name: setting up two factors, proving
# who they are again before it (allauth asks after a while), signing out.
_OPEN_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_reauthenticate",
        "account_confirm_email",
        "account_email_verification_sent",
        "mfa_reauthenticate",
        "set_language",
    }
)

_roles: dict[str, Callable[[], object]] = {}


def role_register(name: str, expression: Callable[[], object]) -> None:
    """Declare a role: `expression()` gives a boolean expression true for the user
    (`OuterRef("pk")`) who holds it. Called from the owning app's `AppConfig.ready()`."""
    _roles[name] = expression


def registered_roles() -> list[str]:
    return sorted(_roles)


def required_roles() -> list[str]:
    return list(getattr(settings, "MFA_REQUIRED_ROLES", ()))


def _as_boolean(expression):
    if isinstance(expression, Q):
        return ExpressionWrapper(expression, output_field=BooleanField())
    return expression


def group_member(group_name: str) -> Exists:
    """The expression for a role that is a plain group of users (accounts/roles.py)."""
    from django.contrib.auth.models import Group

    return Exists(Group.objects.filter(user=OuterRef("pk"), name=group_name))


def second_factor_state(user) -> tuple[bool, list[str]]:
    """(has a second factor, the required roles the user holds), in one query, per request."""
    cached = getattr(user, "_second_factor_state", None)
    if cached is not None:
        return cached
    from allauth.mfa.models import Authenticator

    from accounts.person_roles import person_roles_with

    names = [name for name in required_roles() if name in _roles]
    annotations = {f"role_{index}": _as_boolean(_roles[name]()) for index, name in enumerate(names)}
    annotations["has_second_factor"] = Exists(
        Authenticator.objects.filter(user=OuterRef("pk"), type__in=SECOND_FACTOR_TYPES)
    )
    row = person_roles_with(user, annotations)
    held = [name for index, name in enumerate(names) if row.get(f"role_{index}")]
    cached = (bool(row["has_second_factor"]), held)
    user._second_factor_state = cached
    return cached


def has_second_factor(user) -> bool:
    """Whether the user has an authenticator app (or a security key) set up with allauth."""
    return second_factor_state(user)[0]


def must_enrol(user) -> bool:
    """A signed-in person in a role that requires two factors, who has none set up."""
    if not user.is_authenticated or not user.is_active or not required_roles():
        return False
    has_factor, held = second_factor_state(user)
    return not has_factor and bool(held)


def _is_open(request) -> bool:
    path = request.path_info
    open_prefixes = (
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL,
        reverse("mfa_index"),
        *getattr(settings, "MFA_ENROLMENT_OPEN_PATHS", ()),
    )
    if path.startswith(open_prefixes):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return True  # the 404 tells nothing, and sending them to enrol would hide the typo
    return match.url_name in _OPEN_URL_NAMES


class SecondFactorRequiredMiddleware:
    """Send people whose role requires two factors, and who have none, to set one up first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and must_enrol(user) and not _is_open(request):
            messages.warning(
                request,
                _(
                    "Your role in the portal gives you access to confidential applications, so "
                    "two-factor authentication is required. Set up an authenticator app to "
                    "continue."
                ),
                fail_silently=True,
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


@register()
def check_required_roles(app_configs, **kwargs):
    """A misspelt role in MFA_REQUIRED_ROLES would silently lift the requirement: refuse it."""
    unknown = sorted(set(required_roles()) - set(_roles))
    if not unknown:
        return []
    return [
        Error(
            f"MFA_REQUIRED_ROLES names roles nobody registered: {', '.join(unknown)}.",
            hint=f"Known roles: {', '.join(registered_roles())}.",
            id="accounts.E001",
        )
    ]
