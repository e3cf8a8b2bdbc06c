"""The public pages: the Joint Action's networks, each network with its calls, and the calls.

The network pages live here, beside the calls, because they list each network's calls: the
networks app below knows nothing of calls.
"""

from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from calls.forms import CallFilterForm
from calls.selectors import calls_filtered, calls_public, networks_with_calls, open_call_count
from networks.enums import WorkPackageKind
from networks.models import TaskForce, WorkPackage
from networks.selectors import network_members_by_country


@transaction.non_atomic_requests  # reads only: no transaction per request
def call_list(request):
    form = CallFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # A malformed filter is explained beside its field; nothing is listed until it is fixed.
        return render(request, "calls/call_list.html", {"form": form, "calls": []}, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    calls = calls_filtered(network=filters.get("network"), status=filters.get("status", ""))
    return render(request, "calls/call_list.html", {"form": form, "calls": calls})


@transaction.non_atomic_requests  # reads only: no transaction per request
def call_detail(request, slug):
    call = get_object_or_404(
        calls_public()
        .select_related("criteria_set", "network__work_package__lead_institution")
        .prefetch_related("required_documents", "criteria_set__sections__criteria"),
        slug=slug,
    )
    return render(
        request,
        "calls/call_detail.html",
        {"call": call, "status": call.status_at(timezone.now())},
    )


@transaction.non_atomic_requests  # reads only: no transaction per request
def home(request):
    networks = list(networks_with_calls())
    for network in networks:
        network.open_calls = open_call_count(network)
    other_work_packages = WorkPackage.objects.exclude(kind=WorkPackageKind.NETWORK).select_related(
        "lead_institution"
    )
    return render(
        request,
        "networks/home.html",
        {
            "networks": networks,
            "work_packages": other_work_packages,
            "task_forces": TaskForce.objects.select_related("work_package"),
        },
    )


@transaction.non_atomic_requests  # reads only: no transaction per request
def network_detail(request, slug):
    network = get_object_or_404(networks_with_calls(), slug=slug)
    members_by_country = network_members_by_country(network=network)
    return render(
        request,
        "networks/network_detail.html",
        {
            "network": network,
            "calls": network.calls.all(),
            "members_by_country": members_by_country,
            "member_count": sum(len(members) for _country, members in members_by_country),
        },
    )
