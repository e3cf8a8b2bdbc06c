"""Anonymising one person everywhere the declarations say they are (`erasure/declarations.py`).

Institutional records stay (applications, their answers, reviews' scores, decisions); what
names the person goes: fields declared `erase` on the rows about them are blanked, their name
and email are taken out of the fields declared `scrub` wherever they appear, rows declared
`delete` (two-factor devices, email addresses, data exports) are deleted with the files they
hold (once the erasure commits), their sessions end, and the audit
entries that named them are tombstoned with their hashes kept (`audit_entries_tombstone`).
"""

import dataclasses
import re
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_entries_tombstone
from erasure.declarations import personal_data_declarations
from outbox.enums import OutboxStatus
from outbox.models import OutboxItem

ERASED = "[erased]"
# Names shorter than this are not searched for in free text: "Li" would erase "Lisbon".
NAME_MIN_LENGTH = 4


def placeholder_email(model: type[models.Model], pk) -> str:
    """A unique address that can receive nothing (.invalid is reserved, RFC 2606)."""
    return f"erased-{model._meta.model_name}-{pk}@erased.invalid"


@dataclasses.dataclass
class ErasureSummary:
    """How many rows of each model were changed, deleted or tombstoned."""

    changed: dict[str, int] = dataclasses.field(default_factory=dict)

    def add(self, label: str, count: int) -> None:
        if count:
            self.changed[label] = self.changed.get(label, 0) + count


class _Needles:
    """The person's email and name, found and replaced case-insensitively."""

    def __init__(self, *, email: str, name: str):
        self.terms = [email] + ([name] if len(name.strip()) >= NAME_MIN_LENGTH else [])
        words = [re.escape(email)]
        if len(self.terms) > 1:
            words.append(r"\b" + re.escape(name.strip()) + r"\b")
        self.pattern = re.compile("|".join(words), re.IGNORECASE)

    def replace(self, value):
        if isinstance(value, str):
            return self.pattern.sub(ERASED, value)
        if isinstance(value, list):
            return [self.replace(item) for item in value]
        if isinstance(value, dict):
            return {key: self.replace(item) for key, item in value.items()}
        return value

    def q(self, field: models.Field) -> tuple[dict, models.Q]:
        """(annotations, condition) matching rows whose field contains a term."""
        name = field.name
        if isinstance(field, models.JSONField):
            alias = f"_{name}_text"
            condition = models.Q()
            for term in self.terms:
                condition |= models.Q(**{f"{alias}__icontains": term})
            return {alias: Cast(name, models.TextField())}, condition
        condition = models.Q()
        for term in self.terms:
            condition |= models.Q(**{f"{name}__icontains": term})
        return {}, condition


def _blank(field: models.Field, model, pk):
    if isinstance(field, models.EmailField):
        return placeholder_email(model, pk)
    if isinstance(field, models.JSONField):
        return type(field.get_default())() if field.has_default() else None
    if isinstance(field, models.BooleanField):
        return False
    if field.null:
        return None
    if isinstance(field, models.CharField | models.TextField):
        return "" if field.blank else ERASED
    return field.get_default()


def _erase_declared(declaration, user, summary: ErasureSummary) -> None:
    condition = declaration.person_q(user)
    if condition is None:
        return
    rows = declaration.model._default_manager.filter(condition)
    if declaration.delete:
        _files_delete_on_commit(declaration.model, rows)
        count, _ = rows.delete()
        summary.add(declaration.label, count)
        return
    if not declaration.erase:
        return
    count = 0
    for pk in rows.values_list("pk", flat=True):
        values = {
            name: _blank(declaration.field(name), declaration.model, pk)
            for name in declaration.erase
        }
        count += declaration.model._default_manager.filter(pk=pk).update(**values)
    summary.add(declaration.label, count)


def _files_delete_on_commit(model: type[models.Model], rows: models.QuerySet) -> None:
    """The stored files of rows about to be deleted go too, once the deletion is committed (a
    rolled-back erasure keeps them)."""
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.FileField):
            continue
        for name in rows.exclude(**{field.name: ""}).values_list(field.name, flat=True):
            transaction.on_commit(
                lambda name=name, storage=field.storage: storage.delete(name), robust=True
            )


def _scrub_declared(declaration, needles: _Needles, summary: ErasureSummary) -> None:
    manager = declaration.model._default_manager
    count = 0
    for name in declaration.scrub:
        field = declaration.field(name)
        annotations, condition = needles.q(field)
        for pk, value in manager.annotate(**annotations).filter(condition).values_list("pk", name):
            scrubbed = needles.replace(value)
            if isinstance(field, models.EmailField) and scrubbed != value:
                scrubbed = placeholder_email(declaration.model, pk)
            if scrubbed != value:
                count += manager.filter(pk=pk).update(**{name: scrubbed})
    summary.add(declaration.label, count)


def _sessions_end(user, summary: ErasureSummary) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            store(session.session_key).delete()  # the cached copy too
            ended += 1
    summary.add("sessions.session", ended)


def _outbox_cancel(email: str, summary: ErasureSummary) -> None:
    """Emails still waiting for the person are not sent: their address is about to go."""
    count = OutboxItem.objects.filter(
        status=OutboxStatus.PENDING, payload__recipient__iexact=email
    ).update(status=OutboxStatus.DONE, done_at=timezone.now(), last_error="Recipient erased.")
    summary.add("outbox.outboxitem", count)


def _audit_tombstone(user, needles: _Needles, *, request, actor, summary) -> None:
    annotations, condition = needles.q(AuditEntry._meta.get_field("data"))
    reason_condition = needles.q(AuditEntry._meta.get_field("reason"))[1]
    label_condition = needles.q(AuditEntry._meta.get_field("actor_label"))[1]
    entries = (
        AuditEntry.objects.annotate(**annotations)
        .filter(
            models.Q(actor=user)
            | models.Q(object_type=user._meta.label_lower, object_id=str(user.pk))
            | condition
            | reason_condition
            | label_condition
        )
        .filter(tombstoned_at__isnull=True)
        .order_by("sequence")
    )

    def replace(payload: dict) -> dict:
        scrubbed = needles.replace(payload)
        if payload["actor_label"] and needles.pattern.search(payload["actor_label"]):
            scrubbed["actor_label"] = ERASED
        return scrubbed

    sequences = audit_entries_tombstone(
        entries=entries.iterator(),
        replace=replace,
        obj=request,
        actor=actor,
        reason="Personal data erased (erasure request).",
    )
    summary.add("audit.auditentry", len(sequences))


@transaction.atomic
def person_anonymise(*, user, request, actor) -> ErasureSummary:
    """Anonymise `user` everywhere; `request` is what asked for it (an erasure request or a
    retention report), named by the tombstone record. Idempotent: a second run changes
    nothing more."""
    user = type(user)._default_manager.select_for_update().get(pk=user.pk)
    summary = ErasureSummary()
    needles = _Needles(email=user.email, name=user.name)
    _outbox_cancel(user.email, summary)
    _sessions_end(user, summary)
    declarations = personal_data_declarations()
    for declaration in declarations:
        if declaration.model is AuditEntry:
            continue
        _erase_declared(declaration, user, summary)
    for declaration in declarations:
        if declaration.model is AuditEntry or not declaration.scrub:
            continue
        _scrub_declared(declaration, needles, summary)
    _audit_tombstone(user, needles, request=request, actor=actor, summary=summary)
    user.refresh_from_db()
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = user.is_superuser = False
    user.save(update_fields=["password", "is_active", "is_staff", "is_superuser"])
    user.groups.clear()
    user.user_permissions.clear()
    return summary
