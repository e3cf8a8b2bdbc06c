"""The signed-in person's roles, looked up together in one query and remembered for the request.

Every page's navigation asks which roles the person has (EC observer, network coordinator,
national endorser, reviewer, decision board member), and the observer middleware and the rules
predicates ask again. Each role is owned by its app, which registers here, from its rules module,
a yes/no question as a subquery on the user (`person_role_register`); `person_roles` answers all
of them in one SELECT and keeps the answers on the user object, which lives for one request
(AuthenticationMiddleware makes a fresh one each time). A service handed a user object that lives
longer (a test, a shell) sees the roles as they were when first asked.
"""

from collections.abc import Callable

from django.db.models import Exists, OuterRef

from accounts.models import User

# name -> a function giving a queryset of rows that exist when the user (OuterRef("pk")) has it
_ROLES: dict[str, Callable[[OuterRef], object]] = {}
_CACHE_ATTRIBUTE = "_person_roles"


def person_role_register(name: str, rows: Callable[[OuterRef], object]) -> None:
    """Register a role: `rows(user_pk)` is a queryset that has a row when the user has it."""
    _ROLES[name] = rows


def person_roles(user) -> dict[str, bool]:
    """Every registered role of the user, yes or no: one query per user object, none for a
    visitor or an inactive account (they have no role)."""
    if not user or not user.is_authenticated or not user.is_active:
        return dict.fromkeys(_ROLES, False)
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        person_roles_with(user, {})
        cached = getattr(user, _CACHE_ATTRIBUTE)
    return cached


def person_roles_with(user, extra: dict[str, object]) -> dict[str, object]:
    """The values of `extra` (annotations on the signed-in user's row), read in the same query
    as the roles when these are not known yet: the second-factor middleware asks its question
    this way, so that a signed-in page learns both in one SELECT."""
    annotations = dict(extra)
    if getattr(user, _CACHE_ATTRIBUTE, None) is None:
        annotations |= {
            f"role_{name}": Exists(rows(OuterRef("pk"))) for name, rows in _ROLES.items()
        }
    found = {}
    if annotations:
        rows = User.objects.filter(pk=user.pk).annotate(**annotations).values(*annotations)
        found = rows.first() or {}
    if getattr(user, _CACHE_ATTRIBUTE, None) is None:
        setattr(user, _CACHE_ATTRIBUTE, {name: bool(found.get(f"role_{name}")) for name in _ROLES})
    return {name: found.get(name) for name in extra}


def person_roles_forget(user) -> None:
    """Ask again next time (after the user's roles were changed on this very object)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
