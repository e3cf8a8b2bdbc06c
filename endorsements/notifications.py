"""The emails to national endorsers: a new application from their country, and the reminder
before endorsement closes. One email per (application, endorser)."""

from django.urls import reverse

from applications.models import Application
from endorsements.selectors import endorsers_of_country
from instants.formatting import instant_text
from notifications.catalogue import Notification, NotificationKind, notification_register


def _application(pk: int) -> Application:
    return Application.objects.select_related("call__network", "institution").get(pk=pk)


def _endorsers(application: Application) -> list[str]:
    return [
        endorser.user.email
        for endorser in endorsers_of_country(country=application.institution.country.code)
    ]


def _context(application: Application) -> dict:
    call = application.call
    return {
        "application": application,
        "closes": instant_text(call.endorsement_deadline, call.time_zone),
        "path": reverse("endorsements:detail", kwargs={"public_id": application.public_id}),
    }


def register() -> None:
    for kind in (NotificationKind.ENDORSEMENT_REQUEST, NotificationKind.ENDORSEMENT_REMINDER):
        notification_register(
            kind, Notification(load=_application, recipients=_endorsers, context=_context)
        )
