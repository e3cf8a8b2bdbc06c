from django.shortcuts import get_object_or_404, render

from calls.selectors import networks_with_calls, open_call_count
from networks.enums import WorkPackageKind
from networks.models import TaskForce, WorkPackage
from networks.selectors import network_members_by_country


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
