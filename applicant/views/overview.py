from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from applicant.forms import StartForm
from applicant.views.common import application_of_user
from applications.selectors import applications_listed_for, applications_of
from applications.services.drafting import application_start as start_application
from applications.services.information import information_request_open
from applications.services.receipts import receipt_pending
from applications.services.submission import application_missing
from calls.selectors import calls_public
from calls.services import call_eligibility
from decisions.selectors import (
    applications_disclosed,
    ineligibility_redress_state,
    redress_state,
)
from endorsements.selectors import endorsement_state_of
from form_errors import add_service_errors
from networks.models import Institution


@login_required
def my_applications(request):
    page = Paginator(applications_listed_for(user=request.user), settings.LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    applications = applications_disclosed(list(page.object_list))
    for application in applications:
        application.missing = application_missing(application) if application.is_draft else []
    return render(
        request,
        "applications/my_applications.html",
        {"applications": applications, "page_obj": page},
    )


@login_required
def application_detail(request, public_id):
    application = application_of_user(request, public_id)  # decisions shown once released
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "missing": application_missing(application) if application.is_draft else [],
            "sections": application.call.criteria_set.sections.all(),
            # Versions whose receipt its background job is still making.
            "receipts_waiting": receipt_pending(submissions=list(application.submissions.all())),
            "information_request": information_request_open(application),
            # Where the country's endorsement stands, once the application has been submitted.
            "endorsement_state": (
                endorsement_state_of(application) if application.submitted_at else None
            ),
            **redress_state(application=application),
            **ineligibility_redress_state(application=application),
        },
    )


@login_required
def application_start(request, call_slug):
    call = get_object_or_404(calls_public(), slug=call_slug)
    institutions = list(
        Institution.objects.filter(affiliations__user=request.user).order_by("name")
    )
    existing = {
        application.institution_id: application
        for application in applications_of(user=request.user).filter(call=call)
    }
    eligibility = [
        (
            institution,
            call_eligibility(call=call, institution=institution),
            existing.get(institution.pk),
        )
        for institution in institutions
    ]
    form = StartForm(request.POST or None, user=request.user, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            application = start_application(
                call=call,
                institution=form.cleaned_data["institution"],
                user=request.user,
                tier_requested=form.cleaned_data["tier_requested"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your draft application has been created."))
            return redirect(application)
    return render(
        request,
        "applications/start.html",
        {"call": call, "form": form, "eligibility": eligibility, "institutions": institutions},
        status=400 if form.errors else 200,
    )
