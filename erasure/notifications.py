"""The email telling a person their erasure request was refused, and why."""

from django.urls import reverse

from erasure.models import ErasureRequest
from notifications.catalogue import Notification, NotificationKind, notification_register


def _request(pk: int) -> ErasureRequest:
    return ErasureRequest.objects.select_related("user").get(pk=pk)


def register() -> None:
    notification_register(
        NotificationKind.ERASURE_REFUSED,
        Notification(
            load=_request,
            recipients=lambda request: [request.user.email],
            context=lambda request: {"request": request, "path": reverse("erasure:request")},
        ),
    )
