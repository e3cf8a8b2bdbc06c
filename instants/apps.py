from django.apps import AppConfig


class InstantsConfig(AppConfig):
    name = "instants"
    verbose_name = "Instants"
