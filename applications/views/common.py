"""What every applicant page needs: the application, found only among the user's own."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from applications.selectors import applications_of


def application_of_user(request, public_id):
    """The application if the user acts for its institution; 404 otherwise, revealing nothing."""
    return get_object_or_404(applications_of(user=request.user), public_id=public_id)


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's errors beside the form's fields, or at its top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
