from django.apps import AppConfig


class FileStorageConfig(AppConfig):
    name = "file_storage"
    verbose_name = "File storage"

    def ready(self):
        from file_storage import checks  # noqa: F401 (registers the check)
