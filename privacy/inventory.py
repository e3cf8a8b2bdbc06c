"""The inventory of personal data: every kind of record the portal keeps about a person, as a
registry of groups, one function per group of models.

"Download my data" writes every group's records into the archive's JSON and adds the files the
groups name. A later app (erasure, retention) walks the same groups to find a person's records:
`PersonalDataGroup.models` says which models (and `user_fields` which of their fields point at the
person) a group covers, and the test `tests/privacy/test_inventory.py` fails when a model with a
link to a person is covered by no group.

Register a group with `personal_data_register(PersonalDataGroup(...))`; the portal's own groups
are in `privacy/inventory_groups.py`, registered when the app is ready. A group's `collect`
returns JSON-ready data (lists of dicts made by `rows`); `files` yields (name in the archive,
stored file) pairs. Secrets (password hashes, two-factor secrets, session keys) are never
collected: they are the person's keys, not information about them.
"""

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models.fields.files import FieldFile


@dataclass(frozen=True)
class PersonalDataGroup:
    """One group of records about a person: its key in the archive, a title for people, the
    models it covers, and how to collect a person's records and files."""

    key: str
    title: str
    models: tuple[str, ...]
    collect: Callable[[models.Model], object]
    files: Callable[[models.Model], Iterable[tuple[str, FieldFile]]] | None = None
    # "app_label.Model.field" of each link to the person the group follows.
    user_fields: tuple[str, ...] = field(default=())


_GROUPS: dict[str, PersonalDataGroup] = {}


def personal_data_register(group: PersonalDataGroup) -> PersonalDataGroup:
    """Add a group to the inventory; registering one key twice is a bug."""
    if group.key in _GROUPS and _GROUPS[group.key] != group:
        raise ValueError(f"The personal data group {group.key!r} is registered twice.")
    _GROUPS[group.key] = group
    return group


def personal_data_groups() -> list[PersonalDataGroup]:
    """Every registered group, in the order registered."""
    return list(_GROUPS.values())


def personal_data_models() -> set[str]:
    """The labels ("app_label.Model") of every model some group covers."""
    return {label for group in _GROUPS.values() for label in group.models}


def personal_data_user_fields() -> set[str]:
    """Every "app_label.Model.field" link to a person that some group follows."""
    return {name for group in _GROUPS.values() for name in group.user_fields}


def personal_data_collect(user, *, progress: Callable[[int, int], None] | None = None) -> dict:
    """Everything every group holds about this person, by group key. `progress(done, total)`
    is called after each group."""
    groups = personal_data_groups()
    result = {}
    for done, group in enumerate(groups, start=1):
        result[group.key] = group.collect(user)
        if progress is not None:
            progress(done, len(groups))
    return result


def personal_files(user) -> list[tuple[str, FieldFile]]:
    """Every stored file of this person that some group names, each once."""
    seen, result = set(), []
    for group in personal_data_groups():
        if group.files is None:
            continue
        for name, stored in group.files(user):
            if stored and stored.name not in seen:
                seen.add(stored.name)
                result.append((name, stored))
    return result


SECRET_FIELDS = frozenset({"password", "session_key", "session_data", "secret", "data_secret"})


def rows(queryset, *, exclude: Iterable[str] = (), extra: Callable[[object], dict] | None = None):
    """Each record of the queryset as a dict of its stored fields (links as ids, files as
    their stored names), without the `exclude` ones and never a secret."""
    excluded = set(exclude) | SECRET_FIELDS
    fields = [f for f in queryset.model._meta.concrete_fields if f.name not in excluded]
    result = []
    for record in queryset:
        row = {f.name: json_value(f.value_from_object(record)) for f in fields}
        if extra is not None:
            row.update(extra(record))
        result.append(row)
    return result


def json_value(value):
    """A stored value as JSON writes it: instants in ISO 8601 with their offset."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, bytes | memoryview):
        return f"<{len(value)} bytes>"
    if hasattr(value, "code") and hasattr(value, "name"):  # a django-countries Country
        return value.code
    return value


def personal_data_group(
    key: str,
    title: str,
    *,
    models: tuple[str, ...],
    user_fields: tuple[str, ...] = (),
    files: Callable | None = None,
):
    """Register the decorated `collect(user)` function as a group of the inventory."""

    def register(collect):
        personal_data_register(
            PersonalDataGroup(key, title, models, collect, files=files, user_fields=user_fields)
        )
        return collect

    return register


def emails_of(user) -> list[str]:
    """Every address of the person: the account's and any other they added, lower-cased."""
    from allauth.account.models import EmailAddress

    addresses = {user.email.lower()}
    addresses |= {
        address.lower()
        for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    return sorted(addresses)


def email_q(field: str, user) -> models.Q:
    """Records whose `field` is one of the person's addresses (any case)."""
    q = models.Q(pk__in=[])
    for address in emails_of(user):
        q |= models.Q(**{f"{field}__iexact": address})
    return q


def json_list_has_email_q(field: str, user) -> models.Q:
    """Records whose JSON list `field` holds one of the person's addresses as written."""
    q = models.Q(pk__in=[])
    for address in emails_of(user):
        q |= models.Q(**{f"{field}__contains": [address]})
    return q
