from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erasure.enums import ErasureStatus


class ErasureRequest(models.Model):
    """A person's request to be erased (article 19 of Regulation (EU) 2018/1725, 17 GDPR).

    The secretariat carries it out or refuses it, with a reason, before `due_at`: the legal
    deadline, fixed when the request is made (`ERASURE_DEADLINE_DAYS`).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="erasure_requests",
    )
    reason = models.TextField(_("reason given"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ErasureStatus.choices, default=ErasureStatus.PENDING
    )
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    due_at = models.DateTimeField(_("legal deadline"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    refusal_reason = models.TextField(_("reason for refusing"), blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status=ErasureStatus.PENDING),
                name="erasure_one_pending_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status=ErasureStatus.PENDING) | Q(decided_at__isnull=False),
                name="erasure_decided_has_its_time",
            ),
        ]

    class PersonalData:
        activity = "rights"
        person = ("user",)
        erase = ("reason",)
        keep = ("requested_at",)

    def __str__(self):
        return str(_("Erasure request #%(pk)s") % {"pk": self.pk})

    @property
    def is_overdue(self) -> bool:
        return self.status == ErasureStatus.PENDING and timezone.now() > self.due_at


class RetentionReport(models.Model):
    """What one run of the retention rules found, and what it erased (when not a dry run)."""

    ran_at = models.DateTimeField(_("ran"), default=timezone.now)
    dry_run = models.BooleanField(_("dry run"))
    # [{"rule": name, "apply": bool, "count": n, "applied": n, "items": [labels...]}]
    findings = models.JSONField(_("findings"), default=list)

    class Meta:
        verbose_name = _("retention report")
        verbose_name_plural = _("retention reports")
        ordering = ["-ran_at"]

    def __str__(self):
        return str(_("Retention report of %(at)s") % {"at": self.ran_at.isoformat()})
