"""The national endorser's pages: the applications of their country, and each one to endorse,
decline, or whose letter to confirm. Never reviews or scores."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from endorsements.enums import EndorsementState, EndorserDecision
from endorsements.forms import EndorsementDecisionForm
from endorsements.selectors import (
    applications_for_endorser,
    calls_for_endorser,
    consequence_of,
    country_standings,
    endorsement_state_of,
    endorser_status_label,
)
from endorsements.services.endorsing import NOT_ENDORSABLE, endorsement_decide, endorser_of
from form_errors import add_service_errors


def _endorser_required(request):
    endorser = endorser_of(request.user)
    if endorser is None:
        raise PermissionDenied(_("Only national endorsers may open this page."))
    return endorser


def _describe(application, standing) -> None:
    """What the pages show of one application, set on it for display only."""
    application.endorsement_state = endorsement_state_of(application)
    application.endorser_status = endorser_status_label(application)
    application.consequence = consequence_of(application, standing)
    letters = application.current_letters
    application.letter = letters[0] if letters else None


@login_required
def endorsement_list(request):
    endorser = _endorser_required(request)
    calls = list(calls_for_endorser(user=request.user))
    chosen = next((call for call in calls if call.slug == request.GET.get("call")), None)
    applications = applications_for_endorser(user=request.user)
    if chosen is not None:
        applications = applications.filter(call=chosen)
    applications = list(applications)
    # The standings count every application of the country in the calls; the table shows a page.
    standings = country_standings(endorser=endorser, applications=applications)
    page = Paginator(applications, settings.LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    for application in page.object_list:
        _describe(application, standings[application.call_id])
    return render(
        request,
        "endorsements/endorsement_list.html",
        {
            "endorser": endorser,
            "calls": calls,
            "chosen": chosen,
            "applications": page.object_list,
            "page_obj": page,
            "standings": list(standings.values()),
        },
    )


def _decisions(application) -> list[EndorserDecision]:
    decisions = []
    if application.call.endorsement_in_portal:
        decisions.append(EndorserDecision.ENDORSE)
    if application.letter is not None:
        decisions.append(EndorserDecision.CONFIRM_LETTER)
    decisions.append(EndorserDecision.DECLINE)
    return decisions


@login_required
def endorsement_detail(request, public_id):
    endorser = _endorser_required(request)
    visible = applications_for_endorser(user=request.user)
    application = get_object_or_404(visible, public_id=public_id)
    siblings = list(visible.filter(call=application.call_id))
    standing = country_standings(endorser=endorser, applications=siblings)[application.call_id]
    _describe(application, standing)
    record = getattr(application, "national_endorsement", None)
    editable = (
        application.call.endorsement_open_at(timezone.now())
        and application.status not in NOT_ENDORSABLE
    )
    initial = {"signatory_name": request.user.name}
    form = EndorsementDecisionForm(
        request.POST if request.method == "POST" else None,
        decisions=_decisions(application),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            endorsement_decide(
                application=application,
                user=request.user,
                decision=EndorserDecision(form.cleaned_data["decision"]),
                signatory_name=form.cleaned_data["signatory_name"],
                signatory_role=form.cleaned_data["signatory_role"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your decision on %(institution)s has been recorded.")
                % {"institution": application.institution.name},
            )
            return redirect("endorsements:list")
    return render(
        request,
        "endorsements/endorsement_detail.html",
        {
            "endorser": endorser,
            "application": application,
            "record": record,
            "changes": list(record.changes.select_related("actor")) if record else [],
            "standing": standing,
            "form": form,
            "editable": editable,
            "states": EndorsementState,
        },
        status=400 if form.errors else 200,
    )
