"""Editing a draft: people and tier, documents, endorsement and declarations (the answers of
each section are in `sections`). Every form keeps what was typed when something is refused."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from applicant.forms import DeclarationForm, DocumentUploadForm, EndorsementForm, PeopleForm
from applicant.views.common import application_of_user
from applicant.views.information import awaited_request, reopened
from applications.enums import ApplicationStatus, DeclarationKind, DocumentPurpose
from applications.services.drafting import (
    application_people_save,
    declaration_save,
    document_upload,
    endorsement_save,
)
from calls.enums import DocumentKind
from endorsements.selectors import endorsement_state_of
from form_errors import add_service_errors


def draft_editable(application) -> bool:
    """A draft can change while its call accepts submissions, or until the applicant's own
    extended deadline."""
    return application.is_draft and application.accepts_submissions_at(timezone.now())


def refuse_if_locked(request, application, editable: bool):
    """Send the user back to the overview, saying why, when the application cannot change."""
    if editable:
        return None
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


def current_documents(application):
    """The application's documents not replaced since, from its prefetched documents."""
    return [d for d in application.documents.all() if d.superseded_at is None]


def documents_to_upload(call) -> list:
    """The documents the documents page asks for: every required one but the endorsement
    letter, which the endorsement page takes (the form preview shows the same list)."""
    return [
        document
        for document in call.required_documents.all()
        if document.kind != DocumentKind.ENDORSEMENT_LETTER
    ]


@login_required
def application_people(request, public_id):
    application = application_of_user(request, public_id)
    editable = draft_editable(application)
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
        if (refusal := refuse_if_locked(request, application, editable)) is not None:
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
            "editable": editable,
            "information_request": awaited_request(application),
        },
        status=400 if form.errors else 200,
    )


@login_required
def application_documents(request, public_id):
    application = application_of_user(request, public_id)
    required = documents_to_upload(application.call)
    current = {
        d.required_document_id: d
        for d in current_documents(application)
        if d.purpose == DocumentPurpose.REQUIRED
    }
    forms = {document.pk: DocumentUploadForm(prefix=f"doc{document.pk}") for document in required}
    information_request = awaited_request(application)
    # While information is requested, the service refuses any document not reopened.
    editable = draft_editable(application) or reopened(information_request, documents=True)
    status = 200
    if request.method == "POST":
        if (refusal := refuse_if_locked(request, application, editable)) is not None:
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
    editable = draft_editable(application)
    letter = next(
        (d for d in current_documents(application) if d.purpose == DocumentPurpose.ENDORSEMENT),
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
        if (refusal := refuse_if_locked(request, application, editable)) is not None:
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
            "editable": editable,
            "endorsement_state": (
                endorsement_state_of(application) if application.submitted_at else None
            ),
            "information_request": awaited_request(application),
        },
        status=400 if form.errors else 200,
    )


@login_required
def application_declarations(request, public_id):
    application = application_of_user(request, public_id)
    editable = draft_editable(application)
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
        if (refusal := refuse_if_locked(request, application, editable)) is not None:
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
            "editable": editable,
            "information_request": awaited_request(application),
        },
        status=status,
    )
