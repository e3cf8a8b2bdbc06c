from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outbox.enums import OutboxStatus


class OutboxItem(models.Model):
    """One side effect outside the database (an email, a task, a cache), written in the same
    transaction as the change that calls for it and performed after the commit.

    `key` names the effect (kind, object, recipient); while an item is pending no second item
    with the same key is written, and the effect's performer checks it was not already done,
    so a duplicate request, relay or task does the effect once.
    """

    kind = models.CharField(_("kind"), max_length=60)
    key = models.CharField(_("key"), max_length=400)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # How many times it was asked for while pending; one asked for again while it is being
    # performed is performed once more.
    requests = models.PositiveIntegerField(_("times asked for"), default=1)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    available_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    give_up_at = models.DateTimeField(_("given up at"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    # While an external effect is being performed outside any transaction: other relays wait.
    lease_until = models.DateTimeField(_("being performed until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # The id of the request that asked for it (observability/request_id.py), bound to the log
    # context while it is performed, so a worker's lines are found by the request's id.
    request_id = models.CharField(_("request id"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("outbox item")
        verbose_name_plural = _("outbox items")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(status=OutboxStatus.PENDING),
                name="outbox_one_pending_per_key",
            ),
            models.CheckConstraint(
                condition=~Q(status=OutboxStatus.DONE) | Q(done_at__isnull=False),
                name="outbox_done_has_its_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["available_at"],
                condition=Q(status=OutboxStatus.PENDING),
                name="outbox_pending_due",
            ),
            models.Index(fields=["status", "kind"], name="outbox_status_kind"),
        ]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "communications"
        scrub = ("key", "payload", "last_error")

    def __str__(self):
        return self.key
