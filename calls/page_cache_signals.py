"""Receivers that make the cached public pages stale when what they show changes.

Every model of the calls and networks apps counts (a call, its suspensions, documents and
criteria; a network, its work package, task forces, memberships and institutions): edits to
them are rare, and each one shows on some public page. Applications, drafts and reviews never
do, so a deadline rush of autosaves leaves these pages warm. As for the dashboards, the cache is
not touched inside the change's transaction: an outbox item, written with the change, bumps the
generation after the commit and is retried while Redis cannot be reached.
"""

import uuid

from django.apps import apps
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from calls.page_cache import generation_bump
from outbox.registry import Effect, effect_register
from outbox.services import outbox_enqueue

PUBLIC_PAGES_CHANGED = "calls.public_pages_changed"
APPS_SHOWN = ("calls", "networks")


def _asked_in_this_transaction() -> None:
    """Marks the current transaction as having asked for a bump (an on-commit no-op)."""


def _public_pages_changed(sender, **kwargs) -> None:
    # One item per transaction, under a key of its own (see dashboards/signals.py for why).
    if any(func is _asked_in_this_transaction for _ids, func, _robust in connection.run_on_commit):
        return
    outbox_enqueue(kind=PUBLIC_PAGES_CHANGED, key=f"{PUBLIC_PAGES_CHANGED}:{uuid.uuid4().hex}")
    transaction.on_commit(_asked_in_this_transaction)


def connect() -> None:
    effect_register(PUBLIC_PAGES_CHANGED, Effect(perform=lambda payload: generation_bump()))
    for app_label in APPS_SHOWN:
        for model in apps.get_app_config(app_label).get_models():
            uid = f"public-pages-{model._meta.label}"
            post_save.connect(_public_pages_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(_public_pages_changed, sender=model, dispatch_uid=f"{uid}-delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _public_pages_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"{uid}-{field.name}",
                )
