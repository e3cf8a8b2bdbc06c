"""Pages where people keep their institution's profile and manage the colleagues acting for it.

Every write goes through accounts.services; these views only translate between forms, messages
and the services' ValidationError and PermissionDenied.
"""

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.enums import InstitutionRole
from accounts.forms import (
    InstitutionForm,
    InstitutionSearchForm,
    InvitationForm,
    JoinRequestDecisionForm,
    JoinRequestForm,
)
from accounts.models import Invitation, JoinRequest
from accounts.rules import acts_for_institution, manages_institution
from accounts.selectors import (
    INSTITUTION_SEARCH_LIMIT,
    affiliations_of,
    colleagues_of,
    institution_ids_of,
    institution_ror_id_taken,
    institutions_search,
    invitations_open_of,
    invitations_waiting_for,
    join_requests_open_for,
    join_requests_open_of,
)
from form_errors import add_service_errors
from networks.models import Institution


def _institution_acted_for(request, pk: int) -> Institution:
    """The institution, if the person acts for it; otherwise 404, so its existence stays hidden."""
    institution = get_object_or_404(Institution.objects.select_related("parent"), pk=pk)
    if not acts_for_institution(request.user, institution):
        raise Http404
    return institution


# My institutions --------------------------------------------------------------------------------


@login_required
def institution_list(request):
    search_form = InstitutionSearchForm(request.GET or None)
    results, more_results, status = None, False, 200
    if search_form.is_bound:
        if not search_form.is_valid():
            status = 400  # explained beside the field
        elif search_form.cleaned_data["q"]:
            results = institutions_search(
                user=request.user,
                text=search_form.cleaned_data["q"],
                country=search_form.cleaned_data["country"],
            )
            more_results = len(results) > INSTITUTION_SEARCH_LIMIT
            results = results[:INSTITUTION_SEARCH_LIMIT]
    context = {
        "affiliations": affiliations_of(user=request.user),
        "invitations": invitations_waiting_for(user=request.user),
        "join_requests": join_requests_open_of(user=request.user),
        "search_form": search_form,
        "results": results,
        "more_results": more_results,
        "search_limit": INSTITUTION_SEARCH_LIMIT,
    }
    return render(request, "accounts/institution_list.html", context, status=status)


@login_required
def institution_create(request):
    duplicates = []
    if request.method != "POST":
        form = InstitutionForm()
    else:
        form = InstitutionForm(request.POST)
        if form.is_valid():
            fields = form.institution_fields()
            duplicates = services.institution_duplicates(
                name=fields["name"], country=fields["country"], ror_id=fields["ror_id"]
            )
            if duplicates and not form.cleaned_data.get("different_institution"):
                form.offer_different_institution()
            elif fields["ror_id"] and institution_ror_id_taken(ror_id=fields["ror_id"]):
                # A ROR id names one organisation: the same id cannot be a different institution.
                form.add_error(
                    "ror_id",
                    _(
                        "An institution with this ROR identifier is already registered. Ask to "
                        "join it instead."
                    ),
                )
            else:
                try:
                    institution = services.institution_create(creator=request.user, **fields)
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("The profile of %(institution)s was created. You are its representative.")
                        % {"institution": institution.name},
                    )
                    return redirect("accounts:institution", pk=institution.pk)
    context = {
        "form": form,
        "duplicates": duplicates,
        "my_institution_ids": institution_ids_of(user=request.user) if duplicates else set(),
    }
    return render(request, "accounts/institution_form.html", context)


# One institution and its people -----------------------------------------------------------------


def _render_institution(request, institution: Institution, *, invitation_form=None, status=200):
    can_manage = manages_institution(request.user, institution)
    context = {
        "institution": institution,
        "colleagues": colleagues_of(institution=institution),
        "can_manage": can_manage,
        "now": timezone.now(),
    }
    if can_manage:
        context["invitation_form"] = invitation_form or InvitationForm()
        context["invitations"] = invitations_open_of(institution=institution)
        # Each request gets its own form; distinct ids keep the labels tied to the right select.
        context["join_requests"] = [
            (join_request, JoinRequestDecisionForm(auto_id=f"id_request_{join_request.pk}_%s"))
            for join_request in join_requests_open_for(institution=institution)
        ]
    return render(request, "accounts/institution_detail.html", context, status=status)


@login_required
def institution_detail(request, pk):
    return _render_institution(request, _institution_acted_for(request, pk))


@login_required
@require_POST
def invitation_send(request, pk):
    institution = _institution_acted_for(request, pk)
    if not manages_institution(request.user, institution):
        raise PermissionDenied
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_send(
                institution=institution,
                email=form.cleaned_data["email"],
                role=InstitutionRole(form.cleaned_data["role"]),
                invited_by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("accounts:institution", pk=institution.pk)
    return _render_institution(request, institution, invitation_form=form)


@login_required
@require_POST
def join_request_decide(request, pk, request_pk):
    institution = _institution_acted_for(request, pk)
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("user"), pk=request_pk, institution=institution
    )
    if not manages_institution(request.user, institution):
        raise PermissionDenied
    form = JoinRequestDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("accounts:institution", pk=institution.pk)
    role = InstitutionRole(form.cleaned_data["role"] or InstitutionRole.CONTRIBUTOR)
    try:
        services.join_request_decide(
            join_request=join_request,
            decided_by=request.user,
            approve=form.approves,
            role=role,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        person = str(join_request.user)
        if form.approves:
            messages.success(
                request,
                _("%(person)s now acts for the institution as %(role)s.")
                % {"person": person, "role": role.label},
            )
        else:
            messages.success(
                request, _("The request of %(person)s was declined.") % {"person": person}
            )
    return redirect("accounts:institution", pk=institution.pk)


# Joining an institution -------------------------------------------------------------------------


@login_required
def join_request_create(request, pk):
    institution = get_object_or_404(Institution, pk=pk)
    if request.method != "POST":
        form = JoinRequestForm()
    else:
        form = JoinRequestForm(request.POST)
        if form.is_valid():
            try:
                services.join_request_create(
                    user=request.user,
                    institution=institution,
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _(
                        "Your request to join %(institution)s was sent to its representative. "
                        "You will get an email when they decide."
                    )
                    % {"institution": institution.name},
                )
            return redirect("accounts:institutions")
    context = {
        "institution": institution,
        "form": form,
        "acts_for": acts_for_institution(request.user, institution),
    }
    return render(request, "accounts/join_request_form.html", context)


def invitation_detail(request, token):
    """The invitation, shown to whoever holds its link: signed out, what it is and who sent it,
    with sign-in and sign-up buttons that come back here; signed in, the button to accept."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("institution", "invited_by"), token=token
    )
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return render(
            request,
            "accounts/invitation_detail.html",
            {
                "invitation": invitation,
                "is_expired": invitation.expires_at <= timezone.now(),
                "signed_out": True,
                "back_here": urlencode({"next": request.path}),
            },
        )
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("You now act for %(institution)s as %(role)s.")
                % {
                    "institution": invitation.institution.name,
                    "role": invitation.get_role_display(),
                },
            )
            return redirect("accounts:institution", pk=invitation.institution_id)
    context = {
        "invitation": invitation,
        "is_expired": invitation.expires_at <= timezone.now(),
        "is_addressed_to_user": EmailAddress.objects.filter(
            user=request.user, verified=True, email__iexact=invitation.email
        ).exists(),
    }
    return render(request, "accounts/invitation_detail.html", context)
