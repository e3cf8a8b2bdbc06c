"""Submitting an application: what is missing, the submitted version and its checksum.

Reopening and withdrawing also end reviewer assignments: they are steps of workflow.review.
"""

import datetime
import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.rules import manages_institution
from applications.enums import (
    Actor,
    ApplicationStatus,
    DeclarationKind,
    DocumentPurpose,
    MalwareScan,
)
from applications.models import (
    Application,
    ApplicationDocument,
    Submission,
)
from applications.services.receipts import receipt_queue
from applications.services.transitions import application_transition
from calls.enums import AnswerType, DocumentKind
from calls.services import call_eligibility, criteria_set_lock
from instants.formatting import instant_text
from outbox.services import outbox_enqueue

# The outbox effect that routes an application to its reviewers, performed by the reviews app.
ROUTE_EFFECT = "applications.route"

DECLARATION_MISSING = {
    DeclarationKind.DIRECTOR: gettext_lazy("Make the declaration of the director or CEO."),
    DeclarationKind.REPRESENTATIVE: gettext_lazy("Make the declaration of the representative."),
}


def word_count(text: str) -> int:
    return len(str(text).split())


def application_missing(application: Application) -> list[str]:
    """Everything still needed before the application can be submitted, each piece named.

    Reads related rows through `.all()`, so a list prefetched by `applications.selectors`
    costs no query per application.
    """
    missing = []
    if application.representative_id is None:
        missing.append(_("Name the institution's representative in the network."))
    answers = {answer.criterion_id: answer.value for answer in application.answers.all()}
    documents = [d for d in application.documents.all() if d.superseded_at is None]
    answered_by_file = {d.criterion_id for d in documents if d.purpose == DocumentPurpose.ANSWER}
    uploaded = {d.required_document_id for d in documents if d.purpose == DocumentPurpose.REQUIRED}
    has_letter = any(d.purpose == DocumentPurpose.ENDORSEMENT for d in documents)

    for section in application.call.criteria_set.sections.all():
        for criterion in section.criteria.all():
            name = f"{criterion.code} “{criterion.title}”"
            if criterion.answer_type == AnswerType.FILE:
                if criterion.required and criterion.pk not in answered_by_file:
                    missing.append(
                        _("Upload a file answering %(criterion)s.") % {"criterion": name}
                    )
                continue
            value = answers.get(criterion.pk)
            if value in (None, "", []):
                if criterion.required:
                    missing.append(_("Answer %(criterion)s.") % {"criterion": name})
                continue
            if criterion.word_limit and word_count(value) > criterion.word_limit:
                missing.append(
                    _("Shorten %(criterion)s: %(count)d words, the limit is %(limit)d.")
                    % {"criterion": name, "count": word_count(value), "limit": criterion.word_limit}
                )

    for required in application.call.required_documents.all():
        # The endorsement letter is uploaded with the endorsement, with its authority and date.
        if required.kind == DocumentKind.ENDORSEMENT_LETTER:
            continue
        if required.mandatory and required.pk not in uploaded:
            missing.append(_("Upload “%(document)s”.") % {"document": required.title})

    # A call whose endorsers may endorse in the portal needs no letter: their endorsement may
    # come after the submission, until endorsement closes (endorsements, workflow.routing).
    if application.call.endorsement_letter_required and (
        application.endorsement_or_none is None or not has_letter
    ):
        missing.append(
            _("Add the national letter of endorsement, with its issuing authority and date.")
        )
    missing += _documents_refused_or_held(documents)
    made = {declaration.kind for declaration in application.declarations.all()}
    missing += [str(message) for kind, message in DECLARATION_MISSING.items() if kind not in made]
    return missing


def _documents_refused_or_held(documents: list[ApplicationDocument]) -> list[str]:
    """A document still being checked for malware, or found infected, fills its slot but
    keeps the application from being submitted until it is clean or replaced."""
    problems = []
    for document in documents:
        name = {"file": document.original_name}
        if document.malware_scan == MalwareScan.PENDING:
            problems.append(
                _(
                    "“%(file)s” is being checked for malware: you can submit once the check "
                    "is done (usually within minutes)."
                )
                % name
            )
        elif document.malware_scan == MalwareScan.INFECTED:
            problems.append(
                _("Malware was found in “%(file)s”, so it was deleted: upload a clean copy.") % name
            )
    return problems


def submission_content(application: Application) -> dict:
    """What is submitted, as plain data: the checksum and the receipt are drawn from it."""
    documents = ApplicationDocument.objects.filter(
        application=application, superseded_at__isnull=True
    ).select_related("required_document", "criterion")
    endorsement = application.endorsement_or_none
    return {
        "application": str(application.public_id),
        "call": application.call.slug,
        "institution": {
            "id": application.institution_id,
            "name": application.institution.name,
            "country": application.institution.country.code,
        },
        "tier_requested": application.tier_requested,
        "topics": sorted(topic.slug for topic in application.topics.all()),
        "keywords": application.keywords,
        "representative": application.representative.email if application.representative else None,
        "deputy": application.deputy.email if application.deputy else None,
        "criteria_set": {
            "id": application.call.criteria_set_id,
            "version": application.call.criteria_set.version,
        },
        "answers": {
            answer.criterion.code: answer.value
            for answer in application.answers.select_related("criterion").order_by(
                "criterion__section__position", "criterion__position", "criterion_id"
            )
        },
        "documents": [
            {
                "purpose": document.purpose,
                "slot": (
                    document.required_document.title
                    if document.required_document
                    else document.criterion.code
                    if document.criterion
                    else "endorsement"
                ),
                "name": document.original_name,
                "size": document.size,
                "sha256": document.sha256,
            }
            for document in documents
        ],
        "endorsement": (
            {
                "issuing_authority": endorsement.issuing_authority,
                "issued_on": endorsement.issued_on.isoformat(),
            }
            if endorsement
            else None
        ),
        "declarations": [
            {
                "kind": declaration.kind,
                "full_name": declaration.full_name,
                "position": declaration.position,
                "signed_on": declaration.signed_on.isoformat(),
            }
            for declaration in application.declarations.order_by("kind")
        ],
    }


def content_checksum(content: dict) -> str:
    """SHA-256 of the content in a canonical JSON form, so anyone can recompute it."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def ensure_can_submit(application: Application, user: User) -> None:
    if not manages_institution(user, application.institution_id):
        raise PermissionDenied(
            _("Only the institution's representative or deputy may submit, reopen or withdraw.")
        )


def _deadline_message(application: Application) -> str:
    return _("The call closed on %(deadline)s; submissions are no longer accepted.") % {
        "deadline": instant_text(application.deadline, application.call.time_zone)
    }


def application_submit(
    *, application: Application, user: User, now: datetime.datetime | None = None
) -> Submission:
    """Submit an application: on time, eligible and complete, or refused with every reason.

    One instant is the submission's time everywhere: the deadline is checked at it, and the
    application, its status change and its submitted version all record it.
    """
    ensure_can_submit(application, user)
    instant = now or timezone.now()

    def check(locked: Application) -> None:
        if not locked.accepts_submissions_at(instant):
            raise ValidationError(_deadline_message(locked), code="deadline")
        problems = call_eligibility(call=locked.call, institution=locked.institution).reasons
        problems += application_missing(locked)
        if problems:
            raise ValidationError(problems, code="incomplete")

    with transaction.atomic():
        # Everything but the status change is written first, with the row locked: the change's
        # audit entry takes the audit chain's lock, held until the commit, so it comes last and
        # concurrent submissions queue behind the chain as briefly as can be. A refusal (the
        # check, or a second press) rolls all of it back, and the effects asked for with it.
        Application.objects.select_for_update().filter(pk=application.pk).exists()
        submission = submission_record(application=application, user=user, submitted_at=instant)
        criteria_set_lock(criteria_set=application.call.criteria_set)
        application_route_on_commit(application)
        application_transition(
            application=application,
            to_status=ApplicationStatus.SUBMITTED,
            actor=user,
            actor_kind=Actor.APPLICANT,
            check=check,
            # Awaiting routing from now on, until routing has filled every reviewer place.
            extra_fields={"submitted_at": instant, "awaiting_routing_since": instant},
            at=instant,
        )
    return submission


def submission_record(
    *, application: Application, user: User, submitted_at: datetime.datetime
) -> Submission:
    """Keep the application's content as its next submitted version and ask for its receipt.

    Called inside the transaction that changes the status, so both stand or fall together.
    The receipt PDF is made and emailed by a background job (`applications.services.receipts`).
    """
    number = (application.submissions.aggregate(Max("number"))["number__max"] or 0) + 1
    content = submission_content(application)
    submission = Submission.objects.create(
        application=application,
        number=number,
        submitted_at=submitted_at,
        submitted_by=user,
        content=content,
        checksum=content_checksum(content),
    )
    receipt_queue(submission=submission)
    return submission


def application_routing_mark(*, application: Application, awaiting: bool) -> None:
    """Mark the application as awaiting routing (places still open) or not, on its locked row."""
    if (application.awaiting_routing_since is not None) == awaiting:
        return
    application.awaiting_routing_since = timezone.now() if awaiting else None
    application.save(update_fields=["awaiting_routing_since"])


def application_route_on_commit(application: Application) -> None:
    """Route the application (again) once the transaction that changed it commits.

    An outbox item, written with the change: it is routed even if the broker is down at the
    commit or a worker dies while routing it, and it is tried again while places stay open.
    """
    outbox_enqueue(
        kind=ROUTE_EFFECT,
        key=f"{ROUTE_EFFECT}:{application.pk}",
        payload={"application_id": application.pk},
    )
