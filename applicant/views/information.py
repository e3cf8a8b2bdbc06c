"""What the applicant's pages need to know of a request for more information: the request
awaited, and whether a section or the documents are reopened by it."""

from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application, InformationRequest
from applications.services.information import information_request_open


def awaited_request(application: Application) -> InformationRequest | None:
    """The open request for information while the application awaits it, else None."""
    if application.status != ApplicationStatus.INFORMATION_REQUESTED:
        return None
    return information_request_open(application)


def reopened(information_request, *, section=None, documents=False) -> bool:
    """While information is requested: is this section (or are documents) reopened, in time?"""
    if information_request is None or information_request.due_at <= timezone.now():
        return False
    if section is not None:
        return any(s.pk == section.pk for s in information_request.sections.all())
    return documents and bool(information_request.documents.all())
