"""What every applicant page needs: the application, found only among the user's own."""

from django.shortcuts import get_object_or_404

from applications.selectors import applications_of
from decisions.selectors import applications_disclosed


def application_of_user(request, public_id):
    """The application if the user acts for its institution; 404 otherwise, revealing nothing.

    A decision whose letter is not released yet is not shown (see `applications_disclosed`)."""
    application = get_object_or_404(applications_of(user=request.user), public_id=public_id)
    return applications_disclosed([application])[0]
