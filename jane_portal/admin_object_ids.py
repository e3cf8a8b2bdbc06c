"""The admin answers 404 to a malformed object id, on every page about one object.

Django's own change, delete and history views already treat an id their model cannot hold as
"no such object", but any code that reads the id before them (a time zone looked up for the
page, a workbench page of our own) would fail with a ValueError and a 500. This middleware checks
the id once, before any admin view runs: the id must be one the model's primary key can hold
(a number within the column's range, a UUID...), else the answer is 404.
"""

from functools import cache

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404


@cache
def _models_by_url_prefix() -> dict[str, type]:
    # Admin URL names are "<app_label>_<model_name>_<page>"; the registry is complete once the
    # URLs are loaded, which is before the first view runs.
    return {
        f"{model._meta.app_label}_{model._meta.model_name}_": model
        for model in admin.site._registry
    }


def _model_of(url_name: str | None):
    if not url_name:
        return None
    matches = [(p, m) for p, m in _models_by_url_prefix().items() if url_name.startswith(p)]
    return max(matches, key=lambda match: len(match[0]))[1] if matches else None


def object_id_is_valid(model, object_id: str) -> bool:
    """Can the model's primary key hold this id, as the admin writes it in its URLs?"""
    field = model._meta.pk
    while field.is_relation:  # a one-to-one primary key holds the target's key
        field = field.target_field
    try:
        value = field.to_python(unquote(object_id))
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    if value is None:
        return False
    if isinstance(value, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        return (low is None or value >= low) and (high is None or value <= high)
    return True


class AdminObjectIdMiddleware:
    """404 for an admin URL whose object id its model's primary key cannot hold."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        object_id = view_kwargs.get("object_id")
        if object_id is None or match is None or "admin" not in match.namespaces:
            return None
        model = _model_of(match.url_name)
        if model is not None and not object_id_is_valid(model, object_id):
            raise Http404("No such object.")
        return None
