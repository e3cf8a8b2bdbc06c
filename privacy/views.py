"""The privacy notice's pages and "Download my data"."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from privacy.enums import ExportStatus
from privacy.forms import NoticeAcceptForm
from privacy.models import DataExport, PrivacyNotice
from privacy.services.exports import export_downloadable, export_request
from privacy.services.notice import SESSION_KEY, notice_accept, notice_current


@require_GET
def notice(request):
    """The notice in force, for everyone."""
    return render(request, "privacy/notice.html", {"notice": notice_current()})


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


@login_required
def accept(request):
    """A newer notice, shown before anything else until the person accepts it."""
    current = notice_current()
    if current is None:
        return redirect(_next_url(request))
    form = NoticeAcceptForm(request.POST or None, initial={"version": current.version})
    if request.method == "POST" and form.is_valid():
        accepted = (
            PrivacyNotice.objects.published().filter(version=form.cleaned_data["version"]).first()
        )
        if accepted is not None and accepted.version == current.version:
            notice_accept(user=request.user, notice=accepted)
            request.session[SESSION_KEY] = accepted.version
            return redirect(_next_url(request))
        # A newer version came out while this one was read: it is shown instead.
        form = NoticeAcceptForm(initial={"version": current.version})
    return render(
        request,
        "privacy/accept.html",
        {"notice": current, "form": form, "next": _next_url(request)},
    )


def _export_view(export: DataExport) -> dict:
    ready = export_downloadable(export)
    if export.status == ExportStatus.BUILDING:
        label = _("Being built: %(progress)s%%") % {"progress": export.progress}
    elif export.status == ExportStatus.READY and not ready:
        label = _("Expired")
    else:
        label = export.get_status_display()
    return {
        "status": ExportStatus.EXPIRED
        if export.status == ExportStatus.READY and not ready
        else export.status,
        "progress": export.progress,
        "label": label,
        "download_url": (
            reverse("privacy:export_download", args=[export.public_id]) if ready else None
        ),
        "expires_at": export.expires_at.isoformat() if export.expires_at else None,
    }


@login_required
def my_data(request):
    """The person's copies of their data: ask for one, see it being built, download it."""
    if request.method == "POST":
        export_request(user=request.user)
        return redirect("privacy:my_data")
    exports = [
        (export, _export_view(export))
        for export in DataExport.objects.filter(user=request.user)[:10]
    ]
    in_progress = any(
        export.status in (ExportStatus.QUEUED, ExportStatus.BUILDING) for export, _view in exports
    )
    return render(
        request,
        "privacy/my_data.html",
        {
            "exports": exports,
            "in_progress": in_progress,
            "expiry_days": settings.DATA_EXPORT_EXPIRY_DAYS,
        },
    )


def _own_export(request, public_id) -> DataExport:
    # Somebody else's export, like one that does not exist, is not found (404): its address
    # tells nothing.
    return get_object_or_404(DataExport, public_id=public_id, user=request.user)


@login_required
@require_GET
def export_status(request, public_id):
    return JsonResponse(_export_view(_own_export(request, public_id)))


@login_required
@require_GET
def export_download(request, public_id):
    export = _own_export(request, public_id)
    if not export_downloadable(export):
        if export.status in (ExportStatus.READY, ExportStatus.EXPIRED):
            return render(request, "privacy/export_expired.html", status=410)
        raise Http404("This archive is not ready.")
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"jane-personal-data-{export.requested_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response
