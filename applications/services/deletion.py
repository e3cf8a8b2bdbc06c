"""Deleting an application: only one the audit trail never named, so the chain stays whole."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Application
from audit.models import AuditEntry
from audit.services import audit_record


def application_deletable(application: Application) -> bool:
    """No audit entry links it: entries hash their application's id and protect the row, so
    an application with a history (anything but an untouched draft) stays."""
    return not AuditEntry.objects.filter(application_id=application.pk).exists()


@transaction.atomic
def application_delete(*, application: Application, user) -> None:
    """The administrator deletes an application no audit entry names, recording it in the
    trail without a link to it (the entry keeps its id, call and institution)."""
    if not (user.is_active and user.is_superuser):
        raise PermissionDenied(_("Only the administrator may delete an application."))
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application_deletable(application):
        raise ValidationError(
            _("This application has an audit history; withdraw or decide it instead.")
        )
    audit_record(
        action="application.deleted",
        obj=application,
        actor=user,
        link_application=False,
        data={
            "public_id": str(application.public_id),
            "call": application.call_id,
            "institution": application.institution_id,
            "status": application.status,
        },
    )
    application.delete()
