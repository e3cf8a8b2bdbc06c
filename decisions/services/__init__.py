"""Every write on decision letters and redress requests. Views, the admin, tasks and tests call
these alike. Here: the checks and reads that letters and redress share."""

from accounts.models import User
from applications.models import Application, StatusChange
from networks.rules import coordinator_required


def ensure_coordinator(application: Application, user: User) -> None:
    """Refuse anyone but a coordinator of the application's network (or an administrator)."""
    coordinator_required(user, application.call.network)


def latest_change(application: Application) -> StatusChange | None:
    """The application's latest status change: the decision a letter or a redress is about."""
    return application.status_changes.order_by("-at", "-pk").first()
