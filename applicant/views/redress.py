from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from applicant.views.common import application_of_user
from decisions.forms import RedressRequestForm
from decisions.models import RedressRequest
from decisions.selectors import applications_disclosed
from decisions.services.letters import letter_redress_until
from decisions.services.redress import (
    redress_letter,
    redress_refusal,
    redress_request_submit,
    redress_ruling,
    ruling_redress_until,
)
from form_errors import add_service_errors


@login_required
def redress_request(request, public_id):
    """Someone who acts for the institution asks for a review of the decision, with reasons."""
    application = application_of_user(request, public_id)
    if not request.user.has_perm("decisions.request_redress", application):
        raise PermissionDenied
    applications_disclosed([application])  # the page's header shows no withheld decision
    letter = redress_letter(application=application)  # released letters only
    # Without a letter, the decision contested may be a ruling of ineligibility.
    ruling = None if letter is not None else redress_ruling(application=application)
    if (letter is not None and RedressRequest.objects.filter(letter=letter).exists()) or (
        ruling is not None and RedressRequest.objects.filter(ruling=ruling).exists()
    ):
        # Sent twice, or come back to: the request is there already, and that is fine.
        messages.info(request, _("A review of this decision has already been asked for."))
        return redirect(application)
    refusal = redress_refusal(letter=letter, ruling=ruling)
    form = RedressRequestForm(request.POST or None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            redress_request_submit(
                application=application, user=request.user, reasons=form.cleaned_data["reasons"]
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "already_requested":
                messages.info(request, _("A review of this decision has already been asked for."))
                return redirect(application)
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your request for a review has been sent to the network's coordinators."),
            )
            return redirect(application)
    status = 200
    if refusal:
        status = 403
    elif form.errors:
        status = 400
    return render(
        request,
        "decisions/redress_request.html",
        {
            "application": application,
            "letter": letter,
            "refusal": refusal,
            "form": form,
            "ruling": ruling,
            "redress_until": (
                letter_redress_until(letter)
                if letter
                else ruling_redress_until(ruling, application.call)
                if ruling
                else None
            ),
        },
        status=status,
    )
