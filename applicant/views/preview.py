"""The applicant's form of a call as an applicant will see it, for its network's coordinators
(and administrators) to check before the call opens. Built by the very forms the applicant's
pages use, blank and disabled; the page has no form to send, so nothing can be saved."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from applicant.forms import (
    DeclarationForm,
    DocumentUploadForm,
    EndorsementForm,
    PeopleForm,
    SectionForm,
)
from applicant.views.editing import documents_to_upload
from applications.enums import DeclarationKind
from applications.models import Application
from calls.models import Call
from calls.rules import may_preview_call


def disabled(form):
    """The form as shown, every field greyed out and nothing to post."""
    for field in form.fields.values():
        field.disabled = True
    return form


@login_required
def application_form_preview(request, call_slug):
    call = get_object_or_404(
        Call.objects.select_related("network", "criteria_set").prefetch_related(
            "suspensions", "required_documents", "criteria_set__sections__criteria"
        ),
        slug=call_slug,
    )
    # Coordinators are staff: like the admin the preview opens from, it asks for their second
    # factor. Anyone else learns nothing, not even that the (perhaps unpublished) call exists.
    if not may_preview_call(request.user, call):
        raise Http404
    if not admin.site.has_permission(request):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    # An application never saved: the forms that depend on one (the tier and the colleagues to
    # choose from) see an institution with no colleague yet.
    blank = Application(call=call)
    sections = [
        (
            section,
            disabled(
                SectionForm(
                    criteria=section.criteria.all(),
                    answers={},
                    documents={},
                    prefix=f"section{section.pk}",
                )
            ),
        )
        for section in call.criteria_set.sections.all()
    ]
    documents = [
        (document, disabled(DocumentUploadForm(prefix=f"doc{document.pk}")))
        for document in documents_to_upload(call)
    ]
    declarations = [
        (kind, disabled(DeclarationForm(prefix=kind, kind=kind))) for kind in DeclarationKind
    ]
    return render(
        request,
        "applications/preview.html",
        {
            "call": call,
            "title": _("Preview of the application form"),
            "people_form": disabled(PeopleForm(application=blank)),
            "sections": sections,
            "documents": documents,
            "endorsement_form": disabled(EndorsementForm(has_letter=False)),
            "declarations": declarations,
        },
    )
