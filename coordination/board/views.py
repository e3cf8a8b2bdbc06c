"""The decision board's pages and the opinion panel's page. Board members change nothing but
decisions here, through the services; the pages refuse everyone else (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.enums import ApplicationStatus
from calls.models import Call
from coordination.admin.deciding import OpinionForm
from coordination.board.forms import APPROVE, BoardActionForm, SettleForm
from coordination.board.selectors import (
    applications_for_opinion,
    call_before_the_board,
    calls_before_the_board,
    calls_for_opinion,
)
from decisions.enums import ProposalStatus
from decisions.models import Proposal
from decisions.rules import gives_opinion, is_board_member
from decisions.services.proposals import proposal_approve
from form_errors import add_service_errors
from workflow.board import proposal_send_back, referral_settle


def _board_member_required(request) -> None:
    if not is_board_member(request.user):
        raise PermissionDenied


@login_required
def board_calls(request):
    """The calls with proposals before the board, those with proposals waiting first."""
    _board_member_required(request)
    return render(request, "board/calls.html", {"calls": list(calls_before_the_board())})


@login_required
def board_call(request, call_id: int):
    """A call's proposals with the ranking, the network's composition and the opinions; the
    board approves or sends back the proposals ticked, in one action."""
    _board_member_required(request)
    call = get_object_or_404(Call.objects.select_related("network"), pk=call_id)
    view = call_before_the_board(call=call)
    # Handled ones are accepted too, so that a form sent twice finds them done, not unknown.
    proposals = [row.proposal for row in view.waiting + view.handled]
    form = BoardActionForm(request.POST or None, proposals=proposals)
    if request.method == "POST" and form.is_valid():
        chosen = [p for p in proposals if p.pk in set(form.cleaned_data["proposals"])]
        done, failed = _handle(request, chosen, form)
        if done:
            approve = form.cleaned_data["action"] == APPROVE
            message = (
                ngettext("%d proposal approved.", "%d proposals approved.", done)
                if approve
                else ngettext("%d proposal sent back.", "%d proposals sent back.", done)
            )
            messages.success(request, message % done)
        if not failed:
            return redirect("board:call", call_id=call.pk)
        view = call_before_the_board(call=call)
    return render(
        request,
        "board/call.html",
        {"call": call, "view": view, "form": form, "selected": _selected(form)},
    )


def _selected(form) -> set[int]:
    """The proposals ticked, kept when the form comes back with errors."""
    values = form.data.getlist("proposals") if hasattr(form.data, "getlist") else []
    return {int(v) for v in values if str(v).isdigit()}


def _handle(request, proposals, form) -> tuple[int, int]:
    """Apply the action to each proposal in its own transaction; errors are told per proposal."""
    done = failed = 0
    target = (
        ProposalStatus.APPROVED
        if form.cleaned_data["action"] == APPROVE
        else ProposalStatus.SENT_BACK
    )
    for proposal in proposals:
        if proposal.status == target:
            done += 1  # done already: the same form sent twice
            continue
        try:
            with transaction.atomic():
                if form.cleaned_data["action"] == APPROVE:
                    proposal_approve(proposal=proposal, user=request.user)
                else:
                    proposal_send_back(
                        proposal=proposal, user=request.user, reason=form.cleaned_data["reason"]
                    )
        except (ValidationError, PermissionDenied) as error:
            failed += 1
            text = "; ".join(getattr(error, "messages", [str(error)]))
            form.add_error(None, f"{proposal.application.institution}: {text}")
        else:
            done += 1
    return done, failed


@login_required
def board_settle(request, proposal_id: int):
    """The board's own decision, accept or reject, on a referred application."""
    _board_member_required(request)
    proposal = get_object_or_404(
        Proposal.objects.select_related("application__institution", "application__call"),
        pk=proposal_id,
        outcome=ApplicationStatus.REFERRED,
    )
    application = proposal.application
    form = SettleForm(request.POST or None)
    settled = application.status != ApplicationStatus.REFERRED
    if request.method == "POST" and not settled and form.is_valid():
        try:
            referral_settle(
                application=application,
                user=request.user,
                outcome=ApplicationStatus(form.cleaned_data["outcome"]),
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                error = ValidationError(str(error))
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The board's decision is recorded; a coordinator releases its letter."),
            )
            return redirect("board:call", call_id=application.call_id)
    return render(
        request,
        "board/settle.html",
        {"proposal": proposal, "application": application, "form": form, "settled": settled},
    )


@login_required
def opinion_calls(request):
    """The calls whose applications the user gives the network's opinion on."""
    calls = list(calls_for_opinion(user=request.user))
    if not calls:
        raise PermissionDenied
    return render(request, "board/opinion_calls.html", {"calls": calls})


@login_required
def opinion_call(request, call_id: int):
    """The call's applications being weighed, each with the network's opinion and a form."""
    # Refused alike whether the call is someone else's or does not exist: an id tells nothing.
    call = calls_for_opinion(user=request.user).filter(pk=call_id).first()
    if call is None or not gives_opinion(request.user, call):
        raise PermissionDenied
    applications = applications_for_opinion(call=call)
    bound = request.POST.get("application") if request.method == "POST" else None
    forms = {}
    for application in applications:
        opinion = getattr(application, "network_opinion", None)
        data = request.POST if bound == str(application.pk) else None
        initial = {}
        if opinion is not None:
            initial = {
                "favourable": "yes" if opinion.favourable else "no",
                "reasons": opinion.reasons,
            }
        forms[application.pk] = OpinionForm(data, initial=initial, prefix=f"a{application.pk}")
    status = 200
    if bound is not None:
        application = next((a for a in applications if str(a.pk) == bound), None)
        if application is None:
            messages.error(request, _("That application is no longer being weighed."))
            return redirect("board:opinions", call_id=call.pk)
        form = forms[application.pk]
        if form.is_valid() and form.give(application=application, user=request.user):
            messages.success(request, _("The network's opinion is recorded."))
            return redirect("board:opinions", call_id=call.pk)
        status = 400
    rows = [(application, forms[application.pk]) for application in applications]
    return render(request, "board/opinions.html", {"call": call, "rows": rows}, status=status)
