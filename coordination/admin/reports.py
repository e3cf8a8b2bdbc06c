"""Admin pages about a whole call: the calls a coordinator runs, the ranking and composition of a
call, and its exports. Mounted under the application admin by `report_urls`; scoped like it."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from calls.models import Call
from coordination.exports import FORMATS, KINDS, call_export, csv_lines, xlsx_bytes
from coordination.ranking import (
    call_ranking,
    calls_coordinated_by,
    network_composition,
    ranking_selection,
)
from networks.models import Membership
from networks.rules import coordinates_network

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXPORT_LABELS = {
    "applications": gettext_lazy("Applications"),
    "reviews": gettext_lazy("Reviews"),
    "decisions": gettext_lazy("Decisions"),
}


class RankingForm(forms.Form):
    """The coordinator's choice of selection: the rows ticked, and a score above which to add."""

    cut = forms.DecimalField(
        label=gettext_lazy("Also select every application scoring at least"),
        help_text=gettext_lazy("Out of 100. Leave empty to select only the applications ticked."),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
    )


def _allowed(model_admin, request) -> None:
    """Only those who may view applications in the admin, and coordinate a network (or
    administer), see these pages."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied


def _call_for(model_admin, request, call_id: int) -> Call:
    """The call, if the user coordinates its network; another network's call is not found, as in
    the rest of the scoped admin, so that a forged id tells nothing."""
    _allowed(model_admin, request)
    call = get_object_or_404(Call.objects.select_related("network", "criteria_set"), pk=call_id)
    if not coordinates_network(request.user, call.network):
        raise Http404
    return call


def _context(model_admin, request, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "export_kinds": [(kind, EXPORT_LABELS[kind]) for kind in KINDS],
        "export_formats": FORMATS,
        **extra,
    }


def calls_view(model_admin, request):
    """The calls the coordinator runs, each with its ranking and exports."""
    _allowed(model_admin, request)
    calls = list(calls_coordinated_by(user=request.user))
    return TemplateResponse(
        request,
        "admin/applications/application/calls.html",
        _context(model_admin, request, title=_("Calls: rankings and exports"), calls=calls),
    )


def ranking_view(model_admin, request, call_id: int):
    """The call's applications by weighted score, and the network if a selection were accepted.

    A GET form, so the page only reads: ticking and the cut change what is shown, nothing else.
    """
    call = _call_for(model_admin, request, call_id)
    rows = call_ranking(call=call)
    form = RankingForm(request.GET if "shown" in request.GET else None)
    cut = None
    ticked: set[int] = set()
    if form.is_bound and form.is_valid():
        cut = form.cleaned_data["cut"]
        cut = float(cut) if cut is not None else None
    if form.is_bound:
        ticked = {int(value) for value in request.GET.getlist("selected") if value.isdigit()}
    selected = ranking_selection(rows, ticked=ticked, cut=cut)
    # Accepted ones whose letter is not released yet are not members yet: counted as coming in.
    members = set(
        Membership.objects.current()
        .filter(network_id=call.network_id)
        .values_list("institution_id", flat=True)
    )
    pending = [
        row.application
        for row in rows
        if row.is_accepted and row.application.institution_id not in members
    ]
    composition = network_composition(
        call=call, selection=[*pending, *(row.application for row in selected)]
    )
    effects = composition.effects_by_application()
    selected_ids = {row.application.pk for row in selected}
    return TemplateResponse(
        request,
        "admin/applications/application/ranking.html",
        _context(
            model_admin,
            request,
            title=_("Ranking and composition: %(call)s") % {"call": call},
            call=call,
            form=form,
            rows=[
                {
                    "row": row,
                    "rank": rank,
                    "selected": row.application.pk in selected_ids,
                    "effects": effects.get(row.application.pk, []),
                }
                for rank, row in enumerate(rows, start=1)
            ],
            selected_count=len(selected),
            composition=composition,
        ),
    )


def export_view(model_admin, request, call_id: int, kind: str, file_format: str):
    """One export of the call: CSV streamed, XLSX built in memory. Exports carry personal data
    (representatives' names and emails), so each one is recorded in the audit trail."""
    call = _call_for(model_admin, request, call_id)
    table = call_export(call=call, kind=kind)
    with transaction.atomic():
        audit_record(
            action="call.exported",
            obj=call,
            actor=request.user,
            data={"kind": kind, "format": file_format},
        )
    filename = f"{call.slug}-{kind}.{file_format}"
    if file_format == "csv":
        response = StreamingHttpResponse(
            csv_lines(table, call=call), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(xlsx_bytes(table, call=call), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def report_urls(model_admin) -> list:
    """URL patterns for the pages above, under /admin/applications/application/."""
    wrap = model_admin.admin_site.admin_view
    prefix = f"{model_admin.model._meta.app_label}_{model_admin.model._meta.model_name}"
    kinds = "|".join(KINDS)
    formats = "|".join(FORMATS)
    return [
        path(
            "calls/",
            wrap(lambda request: calls_view(model_admin, request)),
            name=f"{prefix}_calls",
        ),
        path(
            "call/<int:call_id>/ranking/",
            wrap(lambda request, call_id: ranking_view(model_admin, request, call_id)),
            name=f"{prefix}_ranking",
        ),
        re_path(
            rf"^call/(?P<call_id>[0-9]+)/export/(?P<kind>{kinds})\.(?P<file_format>{formats})/$",
            wrap(
                lambda request, call_id, kind, file_format: export_view(
                    model_admin, request, int(call_id), kind, file_format
                )
            ),
            name=f"{prefix}_export",
        ),
    ]
