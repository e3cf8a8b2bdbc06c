"""Showing a service's ValidationError on a form: each message beside its field, or at the top.

A package of its own, below every app, because forms of every app use it; nothing else goes here.
"""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
