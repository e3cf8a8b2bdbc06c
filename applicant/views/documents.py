from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from reviews.selectors import documents_visible_to


@login_required
def document_download(request, public_id):
    """Serve an uploaded document only to those who may see it, always as a download."""
    document = get_object_or_404(documents_visible_to(user=request.user), public_id=public_id)
    if not document.accepted:  # held for the malware scan, or refused by it (bytes deleted)
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    # Never let a browser render an upload inline, even one that slipped through the checks.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
