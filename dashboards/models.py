"""The dashboards' figures as last computed, kept in the database: a page reads them and never
computes at scale; a background refresh (dashboards/services.py) recomputes them when their
inputs change, at most once every DASHBOARD_REFRESH_SECONDS."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from calls.models import Call
from networks.models import Network


class FigureSnapshot(models.Model):
    """The figures of one dashboard scope (the Joint Action, a network, a call, a period)."""

    scope_key = models.CharField(max_length=120, unique=True)
    network = models.ForeignKey(Network, null=True, blank=True, on_delete=models.CASCADE)
    call = models.ForeignKey(Call, null=True, blank=True, on_delete=models.CASCADE)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    figures = models.JSONField(default=dict)
    # When the computation began: the figures show the data as it was then, and are stale once
    # FigureRefresh.changed_at is later.
    computed_at = models.DateTimeField(_("computed at"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dashboard figures")
        verbose_name_plural = _("dashboard figures")

    def __str__(self) -> str:
        return self.scope_key


class FigureRefresh(models.Model):
    """One row: when the figures' inputs last changed, and when the last background refresh
    began (refreshes are spaced out from it) and ended."""

    changed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="one_figure_refresh")]

    def __str__(self) -> str:
        return f"figures changed {self.changed_at}, refreshed {self.started_at}"
