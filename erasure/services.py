"""Erasure requests: asked by the person, carried out or refused by the secretariat."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from erasure.anonymise import ErasureSummary, person_anonymise
from erasure.enums import ErasureStatus
from erasure.models import ErasureRequest
from notifications.catalogue import NotificationKind
from notifications.services import notification_queue


class ErasureRefused(Exception):
    """A request that cannot be made or decided as asked; the message says why."""


def erasure_deadline(requested_at: datetime.datetime) -> datetime.datetime:
    return requested_at + datetime.timedelta(days=settings.ERASURE_DEADLINE_DAYS)


@transaction.atomic
def erasure_request_create(*, user, reason: str = "") -> ErasureRequest:
    """Record a person's request to be erased; one waits at a time (asking twice returns it)."""
    user = get_user_model()._default_manager.select_for_update().get(pk=user.pk)
    pending = ErasureRequest.objects.filter(user=user, status=ErasureStatus.PENDING).first()
    if pending is not None:
        return pending
    now = timezone.now()
    request = ErasureRequest.objects.create(
        user=user, reason=reason.strip(), requested_at=now, due_at=erasure_deadline(now)
    )
    audit_record(action="erasure.requested", obj=request, actor=user)
    return request


def _pending_locked(request_id: int) -> ErasureRequest:
    request = ErasureRequest.objects.select_for_update().get(pk=request_id)
    if request.status != ErasureStatus.PENDING:
        raise ErasureRefused(f"Request #{request.pk} was already decided.")
    return request


@transaction.atomic
def erasure_request_carry_out(*, request_id: int, actor) -> ErasureSummary:
    """Anonymise the person who asked (erasure/anonymise.py) and close the request."""
    request = _pending_locked(request_id)
    if request.user_id == actor.pk:
        raise ErasureRefused("Nobody carries out their own erasure request.")
    summary = person_anonymise(user=request.user, request=request, actor=actor)
    request.refresh_from_db()
    request.status = ErasureStatus.CARRIED_OUT
    request.decided_at = timezone.now()
    request.decided_by = actor
    request.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(
        action="erasure.carried_out",
        obj=request,
        actor=actor,
        data={"changed": summary.changed},
    )
    return summary


@transaction.atomic
def erasure_request_refuse(*, request_id: int, actor, reason: str) -> ErasureRequest:
    """Refuse with a reason (article 19(3) of 2018/1725 names when), emailed to the person."""
    if not reason.strip():
        raise ErasureRefused("Give the reason for refusing: the person is told it.")
    request = _pending_locked(request_id)
    request.status = ErasureStatus.REFUSED
    request.decided_at = timezone.now()
    request.decided_by = actor
    request.refusal_reason = reason.strip()
    request.save(update_fields=["status", "decided_at", "decided_by", "refusal_reason"])
    audit_record(action="erasure.refused", obj=request, actor=actor, reason=request.refusal_reason)
    notification_queue(kind=NotificationKind.ERASURE_REFUSED, object_id=request.pk)
    return request
