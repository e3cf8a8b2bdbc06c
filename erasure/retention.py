"""Retention rules: which personal data has been kept long enough, and erasing it.

Each rule has a name, a setting (`RETENTION_RULES[name]`: `after_days`, and `apply`, false by
default so a new rule only reports until the secretariat has read what it would do) and a
finder giving the items past their time. `retention_run(dry_run=...)` records a
`RetentionReport` of every rule; it applies only the rules marked to apply, and only when not a
dry run. Other apps may add a rule with `retention_rule_register` (e.g. expired data exports).
Labels in the report name rows by number only: the report must not keep what it erases.
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterable

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application
from erasure.anonymise import person_anonymise
from erasure.models import RetentionReport
from notifications.models import SentNotification

# What an application may be for its people to count as "not accepted": decided against,
# withdrawn, or a draft never submitted. Anything else (in progress, waitlisted, accepted)
# keeps them.
NOT_ACCEPTED = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.INELIGIBLE,
    ApplicationStatus.REJECTED,
)
ERASED_DOMAIN = "@erased.invalid"


@dataclasses.dataclass(frozen=True)
class Item:
    label: str
    apply: Callable[[RetentionReport], None]


@dataclasses.dataclass(frozen=True)
class RetentionRule:
    name: str
    description: str
    find: Callable[[datetime.datetime], Iterable[Item]]  # given the cut-off instant


RULES: dict[str, RetentionRule] = {}


def retention_rule_register(rule: RetentionRule) -> None:
    RULES[rule.name] = rule


def rule_settings(name: str) -> dict:
    return {"after_days": 365, "apply": False, **settings.RETENTION_RULES.get(name, {})}


def _people():
    return (
        get_user_model()
        ._default_manager.exclude(email__endswith=ERASED_DOMAIN)
        .filter(is_staff=False, is_superuser=False)
    )


def _applicants_not_accepted(cutoff) -> Iterable[Item]:
    on = (
        models.Q(representative=models.OuterRef("pk"))
        | models.Q(deputy=models.OuterRef("pk"))
        | models.Q(created_by=models.OuterRef("pk"))
    )
    applications = Application.objects.filter(on)
    people = (
        _people()
        .filter(models.Exists(applications))
        .exclude(models.Exists(applications.exclude(status__in=NOT_ACCEPTED)))
        .exclude(models.Exists(applications.filter(updated_at__gte=cutoff)))
        .filter(reviewer_profile__isnull=True, national_endorser__isnull=True)
        .order_by("pk")
    )
    for user in people:
        yield Item(
            f"user #{user.pk}",
            lambda report, user=user: person_anonymise(user=user, request=report, actor=None),
        )


def _unconfirmed_account_apply(user, report) -> None:
    try:
        with transaction.atomic():
            user.delete()
    except ProtectedError:  # something institutional names them: keep the row, anonymised
        person_anonymise(user=user, request=report, actor=None)


def _unconfirmed_accounts(cutoff) -> Iterable[Item]:
    verified = EmailAddress.objects.filter(user=models.OuterRef("pk"), verified=True)
    people = (
        _people().filter(date_joined__lt=cutoff).exclude(models.Exists(verified)).order_by("pk")
    )
    for user in people:
        yield Item(
            f"user #{user.pk}",
            lambda report, user=user: _unconfirmed_account_apply(user, report),
        )


def _sent_emails(cutoff) -> Iterable[Item]:
    # Kept at least as long as an email may still be retried: the record stops a second send.
    retry_for = datetime.timedelta(seconds=settings.OUTBOX_RETRY_FOR)
    rows = SentNotification.objects.filter(created_at__lt=min(cutoff, timezone.now() - retry_for))
    for pk in rows.order_by("pk").values_list("pk", flat=True):
        yield Item(
            f"sent email #{pk}",
            lambda report, pk=pk: SentNotification.objects.filter(pk=pk).delete(),
        )


retention_rule_register(
    RetentionRule(
        "applicants_not_accepted",
        "People only on applications not accepted (drafts, withdrawn, ineligible, rejected), "
        "none changed for the period: anonymised.",
        _applicants_not_accepted,
    )
)
retention_rule_register(
    RetentionRule(
        "unconfirmed_accounts",
        "Accounts whose email was never confirmed, made before the period: deleted "
        "(anonymised if a record names them).",
        _unconfirmed_accounts,
    )
)
retention_rule_register(
    RetentionRule(
        "sent_emails",
        "Records of the emails sent (address, subject), older than the period: deleted.",
        _sent_emails,
    )
)


def retention_run(*, dry_run: bool) -> RetentionReport:
    """Find what each rule would erase, record it, and erase it for the rules marked to apply
    (never in a dry run). Each item is erased in its own transaction."""
    report = RetentionReport.objects.create(dry_run=dry_run, findings=[])
    findings = []
    for name, rule in RULES.items():
        config = rule_settings(name)
        cutoff = timezone.now() - datetime.timedelta(days=config["after_days"])
        items = list(rule.find(cutoff))
        applied = 0
        if config["apply"] and not dry_run:
            for item in items:
                with transaction.atomic():
                    item.apply(report)
                applied += 1
        findings.append(
            {
                "rule": name,
                "after_days": config["after_days"],
                "apply": bool(config["apply"]),
                "count": len(items),
                "applied": applied,
                "items": [item.label for item in items],
            }
        )
    report.findings = findings
    report.save(update_fields=["findings"])
    return report
