"""Every write on decision letters and redress requests. Views, the admin, tasks and tests call
these alike. Here: the checks and reads that letters and redress share."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Application, StatusChange
from networks.rules import coordinates_network


def ensure_coordinator(application: Application, user: User) -> None:
    """Refuse anyone but a coordinator of the application's network (or an administrator)."""
    if not coordinates_network(user, application.call.network):
        raise PermissionDenied(_("Only a coordinator of this network may do this."))


def latest_change(application: Application) -> StatusChange | None:
    """The application's latest status change: the decision a letter or a redress is about."""
    return application.status_changes.order_by("-at", "-pk").first()
