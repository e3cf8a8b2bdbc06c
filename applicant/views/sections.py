"""The answers of one section of a draft (or of a section reopened for more information):
saved by pressing the button or by autosave, never over a colleague's newer answer."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from applicant.forms import SectionForm, field_name
from applicant.views.common import application_of_user
from applicant.views.editing import current_documents, draft_editable, refuse_if_locked
from applicant.views.information import awaited_request, reopened
from applications.enums import DocumentPurpose
from applications.models import Answer
from applications.services.drafting import answers_save, document_upload
from form_errors import add_service_errors


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
        for d in current_documents(application)
        if d.purpose == DocumentPurpose.ANSWER
    }
    autosave = request.headers.get("X-Autosave") == "1"
    information_request = awaited_request(application)
    editable = draft_editable(application) or reopened(information_request, section=section)
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
            return refuse_if_locked(request, application, editable)
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
