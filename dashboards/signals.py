"""Receivers that make the dashboards' cached figures stale when the data behind them changes.

Connected in DashboardsConfig.ready(), so no other app needs to know the dashboards exist. The
cache is not touched inside the change's transaction: an outbox item, written with the change,
bumps the generation after the commit, and is retried while Redis cannot be reached, so a cache
outage never fails or undoes anyone's work.
"""

import uuid

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from applications.models import Application, StatusChange
from dashboards.cache import generation_bump
from networks.models import Membership
from outbox.registry import Effect, effect_register
from outbox.services import outbox_enqueue
from reviews.models import Assignment, Review, ReviewerProfile, Score

FIGURES_CHANGED = "dashboards.figures_changed"


def _asked_in_this_transaction() -> None:
    """Marks the current transaction as having asked for a bump (an on-commit no-op)."""


def _figures_changed(sender, **kwargs) -> None:
    # One item per transaction, under a key of its own: a key shared by every change would
    # make unrelated writers wait on, and deadlock over, one row until their transactions end.
    if any(func is _asked_in_this_transaction for _ids, func, _robust in connection.run_on_commit):
        return
    outbox_enqueue(kind=FIGURES_CHANGED, key=f"{FIGURES_CHANGED}:{uuid.uuid4().hex}")
    transaction.on_commit(_asked_in_this_transaction)


def connect() -> None:
    effect_register(FIGURES_CHANGED, Effect(perform=lambda payload: generation_bump()))
    models = (Application, StatusChange, Assignment, Review, Score, Membership, ReviewerProfile)
    for model in models:
        post_save.connect(_figures_changed, sender=model, dispatch_uid=f"dashboards-{model}-save")
        post_delete.connect(
            _figures_changed, sender=model, dispatch_uid=f"dashboards-{model}-delete"
        )
    # The reviewers of a network make up its pool in the reviewer-load figure.
    m2m_changed.connect(
        _figures_changed, sender=ReviewerProfile.networks.through, dispatch_uid="dashboards-pool"
    )
