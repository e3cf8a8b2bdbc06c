"""Receivers that mark the dashboards' figures stale when the data behind them changes, and
ask for their refresh in the background.

Connected in DashboardsConfig.ready(), so no other app needs to know the dashboards exist. Only
changes that can alter a figure count: a draft autosave (answers, and the application's
`updated_at`) or a reviewer's draft review does not. Nothing is computed inside the change's
transaction: an outbox item, written with the change, records after the commit that the inputs
changed (a database write, so a Redis outage delays nothing) and kicks the refresh task, which
beat also runs every DASHBOARD_REFRESH_SECONDS as a safety net.
"""

import uuid

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from applications.models import Application, StatusChange
from calls.models import Call, SuspensionPeriod
from dashboards.services import figures_mark_changed
from dashboards.tasks import figures_refresh_kick
from decisions.models import Letter
from networks.models import Institution, Membership
from outbox.registry import Effect, effect_register
from outbox.services import outbox_enqueue
from reviews.enums import ReviewStatus
from reviews.models import Assignment, Review, ReviewerProfile

FIGURES_CHANGED = "dashboards.figures_changed"
# The fields of these models that some figure reads; a save limited to other fields (a draft
# autosave touches only `updated_at`) changes no figure. A save of every field may change any.
COUNTED_FIELDS = {
    Application: {"status", "submitted_at", "institution", "call", "created_at"},
    Assignment: {"status", "due_at", "reviewer", "application"},
    Institution: {"country", "type"},
}
WATCHED = (
    Application, StatusChange, Assignment, Review, Membership, ReviewerProfile, Letter, Call,
    SuspensionPeriod, Institution,
)  # fmt: skip
# (Not Network: the seven networks are saved by the seeding after every migrate; a renamed
# network shows at the next change of anything else.)
# A new one of these is in no figure yet (its own dashboard is computed when first needed, and
# by beat's refresh); a change to it is.
COUNTED_ONCE_CHANGED = (Call, Institution)


def _asked_in_this_transaction() -> None:
    """Marks the current transaction as having asked for a refresh (an on-commit no-op)."""


def _counts(sender, instance, update_fields) -> bool:
    """Whether this save may change a figure."""
    if sender is Review and instance.status == ReviewStatus.DRAFT:
        return False  # a draft review counts nowhere; its submission does
    counted = COUNTED_FIELDS.get(sender)
    return update_fields is None or counted is None or bool(counted & set(update_fields))


def _saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs) -> None:
    if raw:  # loaded from a fixture: beat's refresh counts it
        return
    if created and sender in COUNTED_ONCE_CHANGED:
        return
    if created or _counts(sender, instance, update_fields):
        _figures_changed()


def _deleted(sender, **kwargs) -> None:
    _figures_changed()


def _figures_changed(*args, **kwargs) -> None:
    # One item per transaction, under a key of its own: a key shared by every change would
    # make unrelated writers wait on, and deadlock over, one row until their transactions end.
    if any(func is _asked_in_this_transaction for _ids, func, _robust in connection.run_on_commit):
        return
    outbox_enqueue(kind=FIGURES_CHANGED, key=f"{FIGURES_CHANGED}:{uuid.uuid4().hex}")
    transaction.on_commit(_asked_in_this_transaction)


def _perform(payload: dict) -> None:
    figures_mark_changed()
    transaction.on_commit(figures_refresh_kick, robust=True)


def connect() -> None:
    effect_register(FIGURES_CHANGED, Effect(perform=_perform))
    for model in WATCHED:
        post_save.connect(_saved, sender=model, dispatch_uid=f"dashboards-{model}-save")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"dashboards-{model}-delete")
    # The reviewers of a network make up its pool in the reviewer-load figure.
    m2m_changed.connect(
        _figures_changed, sender=ReviewerProfile.networks.through, dispatch_uid="dashboards-pool"
    )
