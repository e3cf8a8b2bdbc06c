"""Writing a draft: starting it, its answers, documents, endorsement and declarations."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Affiliation, User
from accounts.rules import acts_for_institution, manages_institution
from applications.enums import ApplicationStatus, DeclarationKind, DocumentPurpose, MalwareScan
from applications.file_checks import file_check
from applications.models import (
    Answer,
    Application,
    ApplicationDocument,
    Declaration,
    Endorsement,
)
from applications.services.information import information_request_open
from applications.services.malware import malware_scan_queue, upload_scan
from applications.services.transitions import application_started
from calls.enums import FileFormat
from calls.models import Call, Criterion, RequiredDocument
from calls.services import call_eligibility
from networks.models import Institution

# File answers and endorsement letters are not configured per call: documents a reviewer can open.
ANSWER_FILE_FORMATS = [FileFormat.PDF, FileFormat.DOCX, FileFormat.XLSX, FileFormat.ODT]
ENDORSEMENT_FORMATS = [FileFormat.PDF]
DEFAULT_MAX_MB = 10


def ensure_editable(
    *,
    application: Application,
    user: User,
    criteria: Iterable[Criterion] | None = None,
    required_document: RequiredDocument | None = None,
) -> None:
    """Refuse changes by someone who does not act for the institution, or after the deadline.

    While information is requested, only the answers to `criteria` of the reopened sections
    (or a reopened `required_document`) may change, until the request's own due date, even
    after the call's deadline.
    """
    if not acts_for_institution(user, application.institution_id):
        raise PermissionDenied
    if application.status == ApplicationStatus.INFORMATION_REQUESTED:
        _ensure_reopened(application, criteria, required_document)
        return
    if application.status != ApplicationStatus.DRAFT:
        raise ValidationError(
            _("This application has been submitted. Reopen it to make changes."),
            code="not_draft",
        )
    if not application.accepts_submissions_at(timezone.now()):
        raise ValidationError(
            _("The call is not open: the application can no longer be changed."),
            code="call_not_open",
        )


def _ensure_reopened(application, criteria, required_document) -> None:
    request = information_request_open(application)
    if request is None or request.due_at <= timezone.now():
        raise ValidationError(
            _("The time to send the information requested has passed."), code="information_due"
        )
    sections = {section.pk for section in request.sections.all()}
    documents = {document.pk for document in request.documents.all()}
    reopened = (
        criteria is not None
        and required_document is None
        and all(criterion.section_id in sections for criterion in criteria)
    ) or (criteria is None and required_document is not None and required_document.pk in documents)
    if not reopened:
        raise ValidationError(
            _("Only the parts the coordinators reopened can be changed now."), code="not_reopened"
        )


@transaction.atomic
def application_start(
    *, call: Call, institution: Institution, user: User, tier_requested: str
) -> Application:
    """Start a draft application of an institution to a call."""
    if not acts_for_institution(user, institution):
        raise PermissionDenied
    if not call.accepts_submissions_at(timezone.now()):
        raise ValidationError(_("This call is not open for applications."), code="call_not_open")
    if tier_requested not in call.tiers_offered:
        raise ValidationError(
            {"tier_requested": _("This call does not offer that membership tier.")},
            code="tier",
        )
    eligibility = call_eligibility(call=call, institution=institution)
    if not eligibility:
        raise ValidationError(eligibility.reasons, code="ineligible")
    try:
        with transaction.atomic():
            application = Application.objects.create(
                call=call,
                institution=institution,
                tier_requested=tier_requested,
                created_by=user,
                representative=user if manages_institution(user, institution) else None,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("%(institution)s already has an application to this call.")
            % {"institution": institution.name},
            code="duplicate",
        ) from error
    # The first entry of its history, audited, through the one place statuses change.
    application_started(application=application, actor=user)
    return application


@transaction.atomic
def application_people_save(
    *,
    application: Application,
    user: User,
    tier_requested: str,
    representative: User | None,
    deputy: User | None,
    topics=(),
    keywords: list[str] | None = None,
) -> Application:
    """Set the tier asked for, who represents the institution, and its areas of expertise."""
    ensure_editable(application=application, user=user)
    errors = {}
    if tier_requested not in application.call.tiers_offered:
        errors["tier_requested"] = _("This call does not offer that membership tier.")
    colleagues = set(
        Affiliation.objects.filter(institution=application.institution_id).values_list(
            "user_id", flat=True
        )
    )
    for name, person in [("representative", representative), ("deputy", deputy)]:
        if person is not None and person.pk not in colleagues:
            errors[name] = _("Choose someone who acts for the institution in the portal.")
    if representative is not None and deputy is not None and representative == deputy:
        errors["deputy"] = _("The deputy must be someone other than the representative.")
    if errors:
        raise ValidationError(errors)
    application.tier_requested = tier_requested
    application.representative = representative
    application.deputy = deputy
    application.keywords = keywords or []
    application.save(
        update_fields=["tier_requested", "representative", "deputy", "keywords", "updated_at"]
    )
    application.topics.set(topics)
    return application


@dataclass(frozen=True)
class AnswerConflict:
    """A colleague saved this answer after the user loaded it; the user's text was not saved."""

    criterion: Criterion
    their_value: object
    their_revision: int
    changed_by: User | None
    changed_at: object


@dataclass
class AnswersSaved:
    saved: list[Criterion] = field(default_factory=list)
    conflicts: list[AnswerConflict] = field(default_factory=list)


@transaction.atomic
def answers_save(
    *,
    application: Application,
    user: User,
    values: dict[int, object],
    loaded_revisions: dict[int, int],
) -> AnswersSaved:
    """Save answers, never overwriting one a colleague changed since the user loaded it.

    `values` and `loaded_revisions` are keyed by criterion id; a revision of 0 means the answer
    did not exist when the user loaded the form.
    """
    criteria = {
        criterion.pk: criterion
        for criterion in Criterion.objects.filter(
            pk__in=values, section__criteria_set=application.call.criteria_set_id
        )
    }
    ensure_editable(application=application, user=user, criteria=criteria.values())
    existing = {
        answer.criterion_id: answer
        for answer in Answer.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(application=application, criterion__in=criteria)
    }
    result = AnswersSaved()
    for criterion_id, value in values.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            continue
        answer = existing.get(criterion_id)
        current_value = answer.value if answer else None
        current_revision = answer.revision if answer else 0
        if _same(value, current_value):
            continue
        if loaded_revisions.get(criterion_id, 0) != current_revision:
            result.conflicts.append(
                AnswerConflict(
                    criterion=criterion,
                    their_value=current_value,
                    their_revision=current_revision,
                    changed_by=answer.updated_by if answer else None,
                    changed_at=answer.updated_at if answer else None,
                )
            )
            continue
        if answer is None:
            Answer.objects.create(
                application=application, criterion=criterion, value=value, updated_by=user
            )
        else:
            answer.value = value
            answer.revision = current_revision + 1
            answer.updated_by = user
            answer.save(update_fields=["value", "revision", "updated_by", "updated_at"])
        result.saved.append(criterion)
    if result.saved:
        application.save(update_fields=["updated_at"])
    return result


def _same(new, old) -> bool:
    empty = (None, "", [])
    return (new in empty and old in empty) or new == old


@transaction.atomic
def document_upload(
    *,
    application: Application,
    user: User,
    uploaded,
    purpose: DocumentPurpose,
    required_document: RequiredDocument | None = None,
    criterion: Criterion | None = None,
) -> ApplicationDocument:
    """Check an uploaded file and store it in its slot; a replaced document is kept, superseded.

    With malware scanning configured the file is scanned first: refused if infected, stored as
    pending (and scanned by a job) if clamd cannot answer now (applications/services/malware.py).
    """
    ensure_editable(
        application=application,
        user=user,
        criteria=[criterion] if purpose == DocumentPurpose.ANSWER and criterion else None,
        required_document=required_document if purpose == DocumentPurpose.REQUIRED else None,
    )
    if purpose == DocumentPurpose.REQUIRED:
        if required_document is None or required_document.call_id != application.call_id:
            raise ValidationError(_("This document is not one the call asks for."), code="slot")
        formats, max_mb = required_document.allowed_formats, required_document.max_size_mb
        slot = {"required_document": required_document}
    elif purpose == DocumentPurpose.ANSWER:
        if (
            criterion is None
            or criterion.section.criteria_set_id != application.call.criteria_set_id
        ):
            raise ValidationError(
                _("This file does not answer a criterion of the call."), code="slot"
            )
        formats, max_mb = ANSWER_FILE_FORMATS, DEFAULT_MAX_MB
        slot = {"criterion": criterion}
    else:
        formats, max_mb = ENDORSEMENT_FORMATS, DEFAULT_MAX_MB
        slot = {}
    checked = file_check(uploaded=uploaded, allowed_formats=formats, max_bytes=max_mb * 1024 * 1024)
    scan = upload_scan(uploaded=uploaded, name=uploaded.name)
    ApplicationDocument.objects.filter(
        application=application, purpose=purpose, superseded_at__isnull=True, **slot
    ).update(superseded_at=timezone.now())
    document = ApplicationDocument(
        application=application,
        purpose=purpose,
        original_name=uploaded.name[-255:],
        format=checked.format,
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
        malware_scan=scan,
        scanned_at=timezone.now() if scan == MalwareScan.CLEAN else None,
        **slot,
    )
    # The file is written under a generated name; if the transaction then rolls back, the file
    # is left without a row and never served.
    document.file.save(uploaded.name, uploaded, save=False)
    document.save()
    if scan == MalwareScan.PENDING:
        malware_scan_queue(document=document)
    return document


@transaction.atomic
def endorsement_save(
    *,
    application: Application,
    user: User,
    issuing_authority: str,
    issued_on,
    letter=None,
) -> Endorsement:
    """Record the national endorsement: who issued it, when, and (optionally new) the letter."""
    ensure_editable(application=application, user=user)
    if not application.call.endorsement_accepts_letter:
        raise ValidationError(
            _("This call takes no letter: the national endorsers endorse in the portal.")
        )
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("The letter cannot be dated in the future.")})
    if letter is not None:
        document_upload(
            application=application,
            user=user,
            uploaded=letter,
            purpose=DocumentPurpose.ENDORSEMENT,
        )
    endorsement, _created = Endorsement.objects.update_or_create(
        application=application,
        defaults={
            "issuing_authority": issuing_authority,
            "issued_on": issued_on,
            "updated_by": user,
        },
    )
    return endorsement


@transaction.atomic
def declaration_save(
    *,
    application: Application,
    user: User,
    kind: DeclarationKind,
    full_name: str,
    position: str,
    signed_on,
    confirmed: bool,
) -> Declaration:
    """Record a declaration; it counts only when its signatory explicitly confirms it."""
    ensure_editable(application=application, user=user)
    if not confirmed:
        raise ValidationError({"confirmed": _("Tick the box to confirm the declaration.")})
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The declaration cannot be dated in the future.")})
    declaration, _created = Declaration.objects.update_or_create(
        application=application,
        kind=kind,
        defaults={
            "full_name": full_name,
            "position": position,
            "signed_on": signed_on,
            "confirmed": True,
            "confirmed_by": user,
        },
    )
    return declaration
