"""Editing a draft: people and tier, the answers of each section, documents, endorsement and
declarations. Every form keeps what was typed when something is refused."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationStatus, DeclarationKind, DocumentPurpose
from applications.forms import (
    DeclarationForm,
    DocumentUploadForm,
    EndorsementForm,
    PeopleForm,
    SectionForm,
    field_name,
)
from applications.models import Answer
from applications.services.drafting import (
    answers_save,
    application_people_save,
    declaration_save,
    document_upload,
    endorsement_save,
)
from applications.services.information import information_request_open
from applications.views.common import application_of_user
from calls.enums import DocumentKind
from jane_portal.form_errors import add_service_errors


def _editable(application) -> bool:
    return application.is_draft and application.call.accepts_submissions_at(timezone.now())


def _open_request(application):
    """The open request for information while the application awaits it, else None."""
    if application.status != ApplicationStatus.INFORMATION_REQUESTED:
        return None
    return information_request_open(application)


def _reopened(information_request, *, section=None, documents=False) -> bool:
    """While information is requested: is this section (or are documents) reopened, in time?"""
    if information_request is None or information_request.due_at <= timezone.now():
        return False
    if section is not None:
        return any(s.pk == section.pk for s in information_request.sections.all())
    return documents and bool(information_request.documents.all())


def _refuse_if_locked(request, application, editable=None):
    """Send the user back to the overview, saying why, when the application cannot change."""
    if not (_editable(application) if editable is None else editable):
        if application.status == ApplicationStatus.INFORMATION_REQUESTED:
            messages.error(
                request,
                _("Only the parts the coordinators reopened can be changed, until the due date."),
            )
        else:
            messages.error(
                request,
                _("This application cannot be changed now: it is submitted or the call is closed."),
            )
        return redirect(application)
    return None


def _current_documents(application):
    return [d for d in application.documents.all() if d.superseded_at is None]


@login_required
def application_people(request, public_id):
    application = application_of_user(request, public_id)
    form = PeopleForm(
        request.POST or None,
        application=application,
        initial={
            "tier_requested": application.tier_requested,
            "representative": application.representative,
            "deputy": application.deputy,
            "topics": list(application.topics.all()),
            "keywords": ", ".join(application.keywords),
        },
    )
    if request.method == "POST":
        if (refusal := _refuse_if_locked(request, application)) is not None:
            return refusal
        if form.is_valid():
            try:
                application_people_save(
                    application=application, user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(application)
    return render(
        request,
        "applications/people.html",
        {
            "application": application,
            "form": form,
            "editable": _editable(application),
            "information_request": _open_request(application),
        },
        status=400 if form.errors else 200,
    )


@login_required
def application_section(request, public_id, section_pk):
    application = application_of_user(request, public_id)
    sections = list(application.call.criteria_set.sections.all())
    section = next((s for s in sections if s.pk == section_pk), None)
    if section is None:
        raise Http404
    criteria = list(section.criteria.all())
    answers = {answer.criterion_id: answer for answer in application.answers.all()}
    documents = {
        d.criterion_id: d
        for d in _current_documents(application)
        if d.purpose == DocumentPurpose.ANSWER
    }
    autosave = request.headers.get("X-Autosave") == "1"
    information_request = _open_request(application)
    editable = _editable(application) or _reopened(information_request, section=section)
    form = SectionForm(
        request.POST or None,
        request.FILES or None,
        criteria=criteria,
        answers=answers,
        documents=documents,
    )
    conflicts = []
    if request.method == "POST":
        if not editable:
            if autosave:
                return JsonResponse(
                    {"error": _("The application can no longer be changed.")}, status=409
                )
            return _refuse_if_locked(request, application, editable)
        if form.is_valid():
            try:
                result = answers_save(
                    application=application,
                    user=request.user,
                    values=form.answer_values(),
                    loaded_revisions=form.loaded_revisions(),
                )
                for criterion, uploaded in form.uploaded_files().items():
                    try:
                        document_upload(
                            application=application,
                            user=request.user,
                            uploaded=uploaded,
                            purpose=DocumentPurpose.ANSWER,
                            criterion=criterion,
                        )
                    except ValidationError as error:
                        form.add_error(field_name(criterion), error)
            except PermissionDenied:
                raise
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                conflicts = result.conflicts
                revisions = {
                    str(answer.criterion_id): answer.revision
                    for answer in Answer.objects.filter(
                        application=application, criterion__in=criteria
                    )
                }
                if autosave:
                    return JsonResponse(
                        {
                            "saved": len(result.saved),
                            "saved_at": timezone.localtime(
                                timezone.now(), application.call.zone
                            ).strftime("%H:%M:%S %Z"),
                            "conflicts": [field_name(c.criterion) for c in conflicts],
                            "revisions": revisions,
                        }
                    )
                if not conflicts and not form.errors:
                    # Autosave may have stored some answers already: say the draft is saved,
                    # not how many answers this press changed.
                    messages.success(request, _("Draft saved."))
                    return redirect(
                        "applications:section",
                        public_id=application.public_id,
                        section_pk=section.pk,
                    )
                _explain_conflicts(form, conflicts, revisions)
        elif autosave:
            return JsonResponse(
                {"errors": {name: [str(e) for e in errs] for name, errs in form.errors.items()}},
                status=400,
            )
    position = sections.index(section)
    return render(
        request,
        "applications/section.html",
        {
            "application": application,
            "section": section,
            "form": form,
            "documents": documents,
            "editable": editable,
            "information_request": information_request,
            "reopened": information_request is not None and editable,
            "previous_section": sections[position - 1] if position > 0 else None,
            "next_section": sections[position + 1] if position + 1 < len(sections) else None,
            "conflicts": conflicts,
        },
        status=409 if conflicts else 400 if form.errors else 200,
    )


def _explain_conflicts(form, conflicts, revisions) -> None:
    """Keep the user's text in each conflicting box, show the colleague's, and let them choose.

    The form's revisions move to the colleague's, so saving again keeps the user's version
    deliberately rather than by accident.
    """
    form.data = form.data.copy()
    form.data["revisions"] = json.dumps(revisions)
    for conflict in conflicts:
        who = conflict.changed_by or _("a colleague")
        when = (
            timezone.localtime(conflict.changed_at).strftime("%H:%M %Z")
            if conflict.changed_at
            else ""
        )
        form.add_error(
            field_name(conflict.criterion),
            _(
                "%(who)s changed this answer at %(when)s, after you opened this page, so your "
                "text was not saved. Their version: “%(theirs)s”. Your text is still in the box: "
                "save again to replace theirs with it."
            )
            % {
                "who": who,
                "when": when,
                "theirs": conflict.their_value if conflict.their_value is not None else "",
            },
        )


@login_required
def application_documents(request, public_id):
    application = application_of_user(request, public_id)
    required = [
        document
        for document in application.call.required_documents.all()
        if document.kind != DocumentKind.ENDORSEMENT_LETTER
    ]
    current = {
        d.required_document_id: d
        for d in _current_documents(application)
        if d.purpose == DocumentPurpose.REQUIRED
    }
    forms = {document.pk: DocumentUploadForm(prefix=f"doc{document.pk}") for document in required}
    information_request = _open_request(application)
    # While information is requested, the service refuses any document not reopened.
    editable = _editable(application) or _reopened(information_request, documents=True)
    status = 200
    if request.method == "POST":
        if (refusal := _refuse_if_locked(request, application, editable)) is not None:
            return refusal
        try:
            slot_pk = int(request.POST.get("slot", ""))
        except ValueError:
            slot_pk = None
        slot = next((document for document in required if document.pk == slot_pk), None)
        if slot is None:
            messages.error(request, _("Choose which document you are uploading."))
            status = 400
        else:
            form = DocumentUploadForm(request.POST, request.FILES, prefix=f"doc{slot.pk}")
            forms[slot.pk] = form
            if form.is_valid():
                try:
                    document_upload(
                        application=application,
                        user=request.user,
                        uploaded=form.cleaned_data["file"],
                        purpose=DocumentPurpose.REQUIRED,
                        required_document=slot,
                    )
                except ValidationError as error:
                    form.add_error("file", error)
                else:
                    messages.success(
                        request, _("“%(document)s” uploaded.") % {"document": slot.title}
                    )
                    return redirect("applications:documents", public_id=application.public_id)
            status = 400
    return render(
        request,
        "applications/documents.html",
        {
            "application": application,
            "slots": [
                (document, current.get(document.pk), forms[document.pk]) for document in required
            ],
            "editable": editable,
            "information_request": information_request,
        },
        status=status,
    )


@login_required
def application_endorsement(request, public_id):
    application = application_of_user(request, public_id)
    letter = next(
        (d for d in _current_documents(application) if d.purpose == DocumentPurpose.ENDORSEMENT),
        None,
    )
    endorsement = application.endorsement_or_none
    initial = (
        {"issuing_authority": endorsement.issuing_authority, "issued_on": endorsement.issued_on}
        if endorsement
        else {}
    )
    form = EndorsementForm(
        request.POST or None, request.FILES or None, has_letter=letter is not None, initial=initial
    )
    if request.method == "POST":
        if (refusal := _refuse_if_locked(request, application)) is not None:
            return refusal
        if form.is_valid():
            try:
                endorsement_save(
                    application=application,
                    user=request.user,
                    issuing_authority=form.cleaned_data["issuing_authority"],
                    issued_on=form.cleaned_data["issued_on"],
                    letter=form.cleaned_data.get("letter"),
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    add_service_errors(form, error)
                else:
                    form.add_error("letter", error)
            else:
                messages.success(request, _("The national endorsement has been saved."))
                return redirect(application)
    return render(
        request,
        "applications/endorsement.html",
        {
            "application": application,
            "form": form,
            "letter": letter,
            "editable": _editable(application),
            "information_request": _open_request(application),
        },
        status=400 if form.errors else 200,
    )


@login_required
def application_declarations(request, public_id):
    application = application_of_user(request, public_id)
    made = {declaration.kind: declaration for declaration in application.declarations.all()}
    forms = {}
    for kind in DeclarationKind:
        declaration = made.get(kind)
        initial = (
            {
                "full_name": declaration.full_name,
                "position": declaration.position,
                "signed_on": declaration.signed_on,
                "confirmed": True,
            }
            if declaration
            else {}
        )
        forms[kind] = DeclarationForm(prefix=kind, kind=kind, initial=initial)
    status = 200
    if request.method == "POST":
        if (refusal := _refuse_if_locked(request, application)) is not None:
            return refusal
        kind = request.POST.get("kind")
        if kind not in DeclarationKind.values:
            messages.error(request, _("Choose which declaration you are making."))
            status = 400
        else:
            form = DeclarationForm(request.POST, prefix=kind, kind=DeclarationKind(kind))
            forms[kind] = form
            if form.is_valid():
                try:
                    declaration_save(
                        application=application,
                        user=request.user,
                        kind=DeclarationKind(kind),
                        **form.cleaned_data,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("The declaration has been recorded."))
                    return redirect("applications:declarations", public_id=application.public_id)
            status = 400
    return render(
        request,
        "applications/declarations.html",
        {
            "application": application,
            "declarations": [(kind, made.get(kind), forms[kind]) for kind in DeclarationKind],
            "editable": _editable(application),
            "information_request": _open_request(application),
        },
        status=status,
    )
