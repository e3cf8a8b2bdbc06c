from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from calls.forms import CallFilterForm
from calls.selectors import calls_filtered, calls_public


def call_list(request):
    form = CallFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # A malformed filter is explained beside its field; nothing is listed until it is fixed.
        return render(request, "calls/call_list.html", {"form": form, "calls": []}, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    calls = calls_filtered(network=filters.get("network"), status=filters.get("status", ""))
    return render(request, "calls/call_list.html", {"form": form, "calls": calls})


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
