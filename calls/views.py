"""The public pages: the Joint Action's networks, each network with its calls, and the calls.

The network pages live here, beside the calls, because they list each network's calls: the
networks app below knows nothing of calls.
"""

import datetime

from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from calls.enums import CallStatus
from calls.forms import CallFilterForm
from calls.page_cache import cached_for_anonymous, next_change
from calls.selectors import calls_filtered, calls_public, networks_with_calls, open_call_count
from networks.enums import WorkPackageKind
from networks.models import TaskForce, WorkPackage
from networks.selectors import network_members_by_country

# "Time left" on a call's page counts minutes: its cached copy is kept a minute at most.
TIME_LEFT_STEP = datetime.timedelta(minutes=1)


@transaction.non_atomic_requests  # reads only: no transaction per request
@cached_for_anonymous
def call_list(request):
    form = CallFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # A malformed filter is explained beside its field; nothing is listed until it is fixed.
        return render(request, "calls/call_list.html", {"form": form, "calls": []}, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    calls = calls_filtered(network=filters.get("network"), status=filters.get("status", ""))
    response = render(request, "calls/call_list.html", {"form": form, "calls": calls})
    # Filtered by status, the list changes when any call does, shown or not.
    response.fresh_until = next_change(
        calls_public() if filters.get("status") else calls, after=timezone.now()
    )
    return response


@transaction.non_atomic_requests  # reads only: no transaction per request
@cached_for_anonymous
def call_detail(request, slug):
    call = get_object_or_404(
        calls_public()
        .select_related("criteria_set", "network__work_package__lead_institution")
        .prefetch_related("required_documents", "criteria_set__sections__criteria"),
        slug=slug,
    )
    now = timezone.now()
    status = call.status_at(now)
    response = render(request, "calls/call_detail.html", {"call": call, "status": status})
    response.fresh_until = next_change([call], after=now)
    if status != CallStatus.CLOSED:
        response.fresh_until = min(filter(None, [response.fresh_until, now + TIME_LEFT_STEP]))
    return response


@transaction.non_atomic_requests  # reads only: no transaction per request
@cached_for_anonymous
def home(request):
    networks = list(networks_with_calls())
    for network in networks:
        network.open_calls = open_call_count(network)
    other_work_packages = WorkPackage.objects.exclude(kind=WorkPackageKind.NETWORK).select_related(
        "lead_institution"
    )
    response = render(
        request,
        "networks/home.html",
        {
            "networks": networks,
            "work_packages": other_work_packages,
            "task_forces": TaskForce.objects.select_related("work_package"),
        },
    )
    calls = [call for network in networks for call in network.calls.all()]
    response.fresh_until = next_change(calls, after=timezone.now())
    return response


@transaction.non_atomic_requests  # reads only: no transaction per request
@cached_for_anonymous
def network_detail(request, slug):
    network = get_object_or_404(networks_with_calls(), slug=slug)
    members_by_country = network_members_by_country(network=network)
    response = render(
        request,
        "networks/network_detail.html",
        {
            "network": network,
            "calls": network.calls.all(),
            "members_by_country": members_by_country,
            "member_count": sum(len(members) for _country, members in members_by_country),
        },
    )
    response.fresh_until = next_change(network.calls.all(), after=timezone.now())
    return response
