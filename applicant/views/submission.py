"""Sending an application: submitting it, sending the information requested, reopening,
withdrawing, and the receipt of each submitted version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from applicant.forms import WithdrawForm
from applicant.summary import application_summary
from applicant.views.common import application_of_user
from applicant.views.information import awaited_request
from applications.enums import ApplicationStatus
from applications.receipts import receipt_filename
from applications.services.information import information_answer
from applications.services.receipts import receipt_bytes
from applications.services.submission import application_missing
from applications.services.submission import application_submit as submit_application
from calls.services import call_eligibility
from workflow.review import application_reopen as reopen_application
from workflow.review import application_withdraw as withdraw_application


def _send_version(request, application, send, *, sent: str, not_awaited: str):
    """Press the button that keeps a new submitted version, with the service `send`.

    Returns the redirect to the overview when it went through (flashing `sent`, formatted with
    the version's number) or when a second press finds it already done (flashing
    `not_awaited`); otherwise no redirect but every problem to show again.
    """
    try:
        submission = send(application=application, user=request.user)
    except ValidationError as error:
        if getattr(error, "code", None) != "transition_not_allowed":
            return None, error.messages
        messages.info(request, not_awaited)
    else:
        messages.success(request, sent % {"number": submission.number})
    return redirect(application), []


@login_required
def application_submit(request, public_id):
    application = application_of_user(request, public_id)
    problems = []
    status = 200
    if request.method == "POST":
        if application.is_submitted_undecided:
            # A second press, or a retried request, of a submission that already went through.
            messages.info(request, _("This application has already been submitted."))
            return redirect(application)
        response, problems = _send_version(
            request,
            application,
            submit_application,
            sent=_(
                "Your application has been submitted (version %(number)d). The receipt will "
                "follow by email; you can also download it below once it is ready."
            ),
            not_awaited=_("This application is no longer a draft."),
        )
        if response is not None:
            return response
        status = 400
    elif application.is_draft:
        problems = [
            *call_eligibility(call=application.call, institution=application.institution).reasons,
            *application_missing(application),
        ]
    return render(
        request,
        "applications/submit.html",
        {
            "application": application,
            "problems": problems,
            "summary": (
                application_summary(application=application) if application.is_draft else None
            ),
        },
        status=status,
    )


@login_required
def application_send_information(request, public_id):
    """The request for information, what it reopened and until when; and the button to send."""
    application = application_of_user(request, public_id)
    problems = []
    status = 200
    if request.method == "POST":
        if application.status != ApplicationStatus.INFORMATION_REQUESTED:
            # A second press, or a retried request, of an answer that already went through.
            messages.info(request, _("No information is awaited for this application now."))
            return redirect(application)
        response, problems = _send_version(
            request,
            application,
            information_answer,
            sent=_(
                "The information has been sent (version %(number)d). The receipt will follow "
                "by email; you can also download it below once it is ready."
            ),
            not_awaited=_("No information is awaited for this application now."),
        )
        if response is not None:
            return response
        status = 400
    information_request = awaited_request(application)
    if information_request is None and not problems:
        messages.info(request, _("No information is awaited for this application now."))
        return redirect(application)
    if request.method != "POST":
        problems = application_missing(application)
    return render(
        request,
        "applications/send_information.html",
        {
            "application": application,
            "information_request": information_request,
            "problems": problems,
        },
        status=status,
    )


@login_required
def application_reopen(request, public_id):
    # The application is looked up first, so an outsider learns nothing, whatever the method.
    application = application_of_user(request, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        reopen_application(application=application, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The application is open for changes. Submit it again before the deadline."),
        )
    return redirect(application)


@login_required
def application_withdraw(request, public_id):
    application = application_of_user(request, public_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdraw_application(
                application=application, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The application has been withdrawn."))
            return redirect(application)
    return render(
        request,
        "applications/withdraw.html",
        {"application": application, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def application_receipt(request, public_id, number):
    application = application_of_user(request, public_id)
    submission = next((s for s in application.submissions.all() if s.number == number), None)
    if submission is None:
        raise Http404
    response = HttpResponse(receipt_bytes(submission=submission), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt_filename(submission)}"'
    return response
