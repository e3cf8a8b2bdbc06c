from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _role_groups_after_migrate(sender, **kwargs):
    from accounts.services import role_groups_ensure

    role_groups_ensure()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        post_migrate.connect(_role_groups_after_migrate, sender=self)
        from django.contrib.auth.signals import user_logged_in

        from accounts.session_limits import stamp_sign_in

        user_logged_in.connect(stamp_sign_in, dispatch_uid="accounts.session_limits")
        from accounts import notifications, role_expressions

        notifications.register()
        role_expressions.register()
