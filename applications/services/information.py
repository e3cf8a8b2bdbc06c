"""Requests for more information: a coordinator reopens sections of a submitted application
until a due date of its own; the applicant changes only those and sends them, or the request
lapses at its due date and the submitted version stands.

Reviewers keep their assignments throughout: the application is still under review.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import Actor, ApplicationStatus, DocumentPurpose
from applications.models import (
    Answer,
    Application,
    ApplicationDocument,
    InformationRequest,
    Submission,
)
from applications.services.submission import (
    application_missing,
    application_route_on_commit,
    ensure_can_submit,
    submission_record,
)
from applications.services.transitions import application_transition
from audit.services import audit_record
from calls.enums import AnswerType
from calls.models import CriteriaSection, Criterion, RequiredDocument
from networks.rules import coordinator_required
from notifications.catalogue import NotificationKind
from notifications.services import notification_queue


def information_request_open(application: Application) -> InformationRequest | None:
    """The application's open request for information, with what it reopens; None if none."""
    return (
        InformationRequest.objects.open()
        .filter(application=application)
        .prefetch_related("sections", "documents")
        .first()
    )


@transaction.atomic
def information_request(
    *,
    application: Application,
    user: User,
    sections: Iterable[CriteriaSection],
    message: str,
    due_at: datetime.datetime,
    documents: Iterable[RequiredDocument] = (),
) -> InformationRequest:
    """A coordinator of the application's network reopens sections (and optionally required
    documents) for the applicant until `due_at`, with a message; the applicant is emailed."""
    coordinator_required(user, application.call.network)
    sections, documents = list(sections), list(documents)
    errors = {}
    if not message.strip():
        errors["message"] = _("Tell the applicant what information is needed.")
    if not sections:
        errors["sections"] = _("Choose at least one section to reopen.")
    elif any(section.criteria_set_id != application.call.criteria_set_id for section in sections):
        errors["sections"] = _("Choose sections of the application's call.")
    if any(document.call_id != application.call_id for document in documents):
        errors["documents"] = _("Choose documents the application's call asks for.")
    now = timezone.now()
    if due_at <= now:
        errors["due_at"] = _("The due date must be in the future.")
    if errors:
        raise ValidationError(errors)

    resumed = {}

    def check(locked: Application) -> None:
        resumed["status"] = locked.status

    application_transition(
        application=application,
        to_status=ApplicationStatus.INFORMATION_REQUESTED,
        actor=user,
        actor_kind=Actor.COORDINATOR,
        reason=message.strip(),
        check=check,
        # Not routed meanwhile; it is routed again (missing places filled) when it resumes.
        extra_fields={"awaiting_routing_since": None},
    )
    request = InformationRequest.objects.create(
        application=application,
        message=message.strip(),
        due_at=due_at,
        resume_status=resumed["status"],
        requested_by=user,
        requested_at=now,
    )
    request.sections.set(sections)
    request.documents.set(documents)
    audit_record(
        action="application.information_request",
        obj=request,
        actor=user,
        reason=request.message,
        data={
            "sections": sorted(section.pk for section in sections),
            "documents": sorted(document.pk for document in documents),
            "due_at": due_at,
        },
    )
    notification_queue(kind=NotificationKind.INFORMATION_REQUEST, object_id=request.pk)
    return request


def information_answer(
    *, application: Application, user: User, now: datetime.datetime | None = None
) -> Submission:
    """The applicant sends the reopened sections: a new submitted version is kept, a receipt
    emailed, and the application returns to the status it had when the request was made."""
    ensure_can_submit(application, user)
    instant = now or timezone.now()

    with transaction.atomic():
        # Locked in the transition's order: the application first, then its open request.
        Application.objects.select_for_update().get(pk=application.pk)
        request = (
            InformationRequest.objects.open()
            .select_for_update()
            .filter(application=application)
            .first()
        )

        def check(locked: Application) -> None:
            if request is None or request.due_at <= instant:
                raise ValidationError(
                    _("The time to send the information has passed; the submitted version stands."),
                    code="information_due",
                )
            problems = application_missing(locked)
            if problems:
                raise ValidationError(problems, code="incomplete")

        # The table allows every resume status; the request pins the one recorded.
        to_status = request.resume_status if request else ApplicationStatus.SUBMITTED
        application_transition(
            application=application,
            to_status=ApplicationStatus(to_status),
            actor=user,
            actor_kind=Actor.APPLICANT,
            reason=_("The applicant sent the information requested."),
            check=check,
            extra_fields={"submitted_at": instant, "awaiting_routing_since": instant},
        )
        request.answered_at = instant
        request.answered_by = user
        request.save(update_fields=["answered_at", "answered_by"])
        submission = submission_record(application=application, user=user, submitted_at=instant)
        application_route_on_commit(application)
    return submission


def information_requests_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Open requests whose due date has passed, to be closed by `information_request_lapse`."""
    return list(
        InformationRequest.objects.open()
        .filter(due_at__lte=now or timezone.now())
        .values_list("pk", flat=True)
    )


@transaction.atomic
def information_request_lapse(
    *, information_request_id: int, now: datetime.datetime | None = None
) -> bool:
    """Close a request whose due date passed without an answer; idempotent.

    Changes made but not sent are undone in the reopened parts, so what reviewers read is the
    version submitted, and the application returns to the status it had.
    """
    instant = now or timezone.now()
    request = (
        InformationRequest.objects.select_for_update()
        .select_related("application")
        .filter(pk=information_request_id)
        .first()
    )
    if request is None or not request.is_open or request.due_at > instant:
        return False
    application = request.application
    if application.status == ApplicationStatus.INFORMATION_REQUESTED:
        _restore_submitted(request, instant)
        application_transition(
            application=application,
            to_status=ApplicationStatus(request.resume_status),
            actor=None,
            actor_kind=Actor.SYSTEM,
            reason=_("No information was sent by the due date; the version submitted stands."),
            extra_fields={"awaiting_routing_since": instant},
        )
        application_route_on_commit(application)
    request.lapsed_at = instant
    request.save(update_fields=["lapsed_at"])
    return True


def _restore_submitted(request: InformationRequest, instant: datetime.datetime) -> None:
    """Put the reopened answers and documents back as they were in the last submitted version."""
    application = request.application
    last = application.submissions.order_by("-number").first()
    submitted = last.content.get("answers", {}) if last else {}
    criteria = list(Criterion.objects.filter(section__in=request.sections.all()))
    answers = {
        answer.criterion_id: answer
        for answer in Answer.objects.select_for_update().filter(
            application=application, criterion__in=criteria
        )
    }
    for criterion in criteria:
        if criterion.answer_type == AnswerType.FILE:
            continue
        value = submitted.get(criterion.code)
        answer = answers.get(criterion.pk)
        if answer is None:
            if value not in (None, "", []):
                Answer.objects.create(application=application, criterion=criterion, value=value)
        elif answer.value != value:
            answer.value = value
            answer.revision += 1
            answer.updated_by = None
            answer.save(update_fields=["value", "revision", "updated_by", "updated_at"])
    slots = Q(
        purpose=DocumentPurpose.ANSWER,
        criterion__in=[c for c in criteria if c.answer_type == AnswerType.FILE],
    ) | Q(purpose=DocumentPurpose.REQUIRED, required_document__in=request.documents.all())
    documents = ApplicationDocument.objects.filter(slots, application=application)
    if documents.filter(uploaded_at__gte=request.requested_at).exists():
        # Replace first, then restore: one current document per slot at every moment.
        documents.filter(uploaded_at__gte=request.requested_at, superseded_at__isnull=True).update(
            superseded_at=instant
        )
        documents.filter(
            uploaded_at__lt=request.requested_at, superseded_at__gte=request.requested_at
        ).update(superseded_at=None)
