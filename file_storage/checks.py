"""`manage.py check` builds the default storage, so that a bucket configured to be anything but
private (file_storage/backends.py refuses it) stops a deployment before it serves a request."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages


@checks.register(checks.Tags.security, deploy=False)
def default_storage_private(app_configs, **kwargs):
    try:
        storages.create_storage(storages.backends["default"])  # no request is sent
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="file_storage.E001")]
    return []
