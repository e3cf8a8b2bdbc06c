from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    """The coordinators' workbench in the admin: applications with their dossiers and actions,
    calls, ranking and composition, exports.

    Above the workflow layer, which its actions call; its admins still belong to the models'
    own apps in the admin's menu and addresses (admin:applications_application_changelist).
    """

    name = "coordination"
    verbose_name = _("Coordination")
