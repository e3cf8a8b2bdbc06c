from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Reviewers and reviews")

    def ready(self):
        from reviews import effects, notifications, roles

        notifications.register()
        effects.register()
        roles.register()
