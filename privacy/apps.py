from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal-data rights: the versioned privacy notice and its acceptances, and "Download my
    data" built from the inventory of personal data (privacy/inventory.py).

    At the top of the pages layer, beside the applicant's pages: it reads every domain app's
    personal data, and no app below knows of it.
    """

    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        # The inventory's groups, the outbox effect that builds an export and the retention
        # rule of expired exports register here.
        from django.contrib.auth.signals import user_logged_in

        from privacy import inventory_groups, retention  # noqa: F401
        from privacy.services import exports  # noqa: F401
        from privacy.services.notice import notice_check_on_sign_in

        user_logged_in.connect(notice_check_on_sign_in, dispatch_uid="privacy.notice")
