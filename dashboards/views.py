"""The dashboards: the Joint Action overview, one per network and one per call, and their data
as CSV. Read-only pages of aggregate figures; see dashboards/rules.py for who may open them."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from calls.models import Call
from dashboards.cache import cached_drawing, cached_page
from dashboards.forms import DashboardFilterForm
from dashboards.presentation import FIGURE_SLUGS, figure_present, figures_present, summary
from dashboards.scope import Scope
from dashboards.selectors import Snapshot, snapshot_read
from dashboards.services import snapshot_compute
from networks.models import Network
from spreadsheets.cells import CsvWriter


def dashboard_access(view):
    """Sign-in first for visitors; then 403 for anyone who may not see dashboards. Outside a
    request-wide transaction: the pages only read (a warm one touches no table), and the one
    write, a scope's first snapshot, has a transaction of its own."""

    @transaction.non_atomic_requests
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("dashboards.view_dashboards"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _period(request) -> dict[str, str]:
    return {key: request.GET.get(key, "") for key in ("start", "end")}


def _query(form: DashboardFilterForm) -> str:
    """The period as a query string, to carry it from one dashboard to another."""
    data = getattr(form, "cleaned_data", {})
    period = {key: data[key].isoformat() for key in ("start", "end") if data.get(key)}
    return f"?{urlencode(period)}" if period else ""


def _scope(form: DashboardFilterForm, *, network=None, call=None) -> Scope:
    data = getattr(form, "cleaned_data", {})
    return Scope(
        network=network or (call.network if call else None),
        call=call,
        start=data.get("start"),
        end=data.get("end"),
    )


@dashboard_access
def overview(request):
    form = DashboardFilterForm(request.GET or None)
    if not form.is_bound:
        return _page(request, form, Scope())
    if not form.is_valid():
        return _page(request, form, None)
    call, network = form.cleaned_data["call"], form.cleaned_data["network"]
    if call is not None:
        return redirect(reverse("dashboards:call", args=[call.slug]) + _query(form))
    if network is not None:
        return redirect(reverse("dashboards:network", args=[network.slug]) + _query(form))
    return _page(request, form, _scope(form))


@dashboard_access
def network_dashboard(request, slug):
    network = get_object_or_404(Network, slug=slug)
    return _chosen(request, {"network": network.slug}, network=network)


@dashboard_access
def call_dashboard(request, slug):
    call = get_object_or_404(Call.objects.select_related("network"), slug=slug)
    return _chosen(request, {"network": call.network.slug, "call": call.slug}, call=call)


def _chosen(request, choice: dict[str, str], *, network=None, call=None):
    """The dashboard of the network or call of the address (found already): only the period is
    checked per request; the whole form (which would look the network and call up again) is
    checked when the page is drawn, or to explain a wrong period."""
    period = DashboardFilterForm(_period(request))
    form = DashboardFilterForm({**choice, **_period(request)})
    if not period.is_valid():
        return _page(request, form, None)
    return _page(request, form, _scope(period, network=network, call=call), query=_query(period))


def _snapshot(scope: Scope) -> Snapshot:
    """The stored figures, however stale (a refresh is on its way); computed only if none."""
    snapshot = snapshot_read(scope=scope)
    if snapshot is None:
        stored = snapshot_compute(scope=scope)
        snapshot = Snapshot(stored.figures, stored.computed_at, stale=False)
    return snapshot


def _page(request, form, scope: Scope | None, *, query: str | None = None):
    """The dashboard of `scope`; with no scope (the filters were wrong), the form and its errors.
    `query`: the period as a query string, if `form` is not validated yet."""
    if scope is None:
        return render(request, "dashboards/dashboard.html", {"form": form}, status=400)
    query = _query(form) if query is None else query

    def draw() -> str:
        snapshot = _snapshot(scope)
        raw = snapshot.figures
        calls = []
        if scope.network is not None and scope.call is None:
            calls = list(scope.calls().order_by("-opens_at").values("slug", "title"))
        context = {
            "form": form,
            "scope": scope,
            "figures_html": _figures_html(request, raw, scope, query),
            "summary": summary(raw),
            "computed_at": snapshot.computed_at,
            "stale": snapshot.stale,
            "networks": raw["coverage"]["networks"] if scope.network is None else [],
            "calls": calls,
            "query": query,
        }
        return str(render_to_string("dashboards/includes/body.html", context, request=request))

    # The content is the same for everyone who may open the page (aggregates, no person): drawn
    # once per language, zone and filters, whoever asks, until a change or a refresh makes it
    # out of date (dashboards/cache.py). A warm request reads neither the snapshot nor a
    # template of it: one round trip to Redis.
    key = ":".join(
        [
            "page",
            get_language(),
            scope.cache_key,
            scope.time_zone,
            "bound" if form.is_bound else "unbound",
            request.path,
            query,
        ]
    )
    body = mark_safe(cached_page(key, draw))
    return render(request, "dashboards/dashboard.html", {"scope": scope, "body": body})


def _figures_html(request, raw, scope: Scope, query: str) -> str:
    """The charts and tables, drawn once per snapshot, scope and language."""

    def draw():
        figures = figures_present(raw, scope=scope)
        for figure in figures:
            figure.csv_url = _csv_url(scope, figure.slug) + query
        html = render_to_string(
            "dashboards/includes/figures.html", {"figures": figures}, request=request
        )
        return str(html)

    key = f"html:{get_language()}:{scope.cache_key}:{raw['computed_at']}"
    return mark_safe(cached_drawing(key, draw))


def _csv_url(scope: Scope, figure: str) -> str:
    if scope.call is not None:
        return reverse("dashboards:call_csv", args=[scope.call.slug, figure])
    if scope.network is not None:
        return reverse("dashboards:network_csv", args=[scope.network.slug, figure])
    return reverse("dashboards:overview_csv", args=[figure])


@dashboard_access
def overview_csv(request, figure):
    return _csv(request, figure, "joint-action")


@dashboard_access
def network_csv(request, slug, figure):
    network = get_object_or_404(Network, slug=slug)
    return _csv(request, figure, network.slug, network=network)


@dashboard_access
def call_csv(request, slug, figure):
    call = get_object_or_404(Call.objects.select_related("network"), slug=slug)
    return _csv(request, figure, call.slug, call=call)


def _csv(request, figure_slug: str, name: str, *, network=None, call=None):
    if figure_slug not in FIGURE_SLUGS:
        raise Http404(_("No such figure."))
    form = DashboardFilterForm(_period(request))
    if not form.is_valid():
        return HttpResponse(
            "\n".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    scope = _scope(form, network=network, call=call)
    figure = figure_present(_snapshot(scope).figures, scope=scope, slug=figure_slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{figure_slug}.csv"'
    writer = CsvWriter(response)
    writer.writerow(figure.columns)
    writer.writerows(figure.rows)
    return response
