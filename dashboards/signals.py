"""Receivers that make the dashboards' cached figures stale when the data behind them changes.

Connected in DashboardsConfig.ready(), so no other app needs to know the dashboards exist.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from dashboards.cache import generation_bump


def _figures_changed(sender, **kwargs) -> None:
    # After the commit, so a request in between cannot cache figures of the old data again; and
    # straight away too, for code running outside a transaction.
    generation_bump()
    transaction.on_commit(generation_bump)


def connect() -> None:
    from applications.models import Application, StatusChange
    from networks.models import Membership
    from reviews.models import Assignment, Review, ReviewerProfile, Score

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
