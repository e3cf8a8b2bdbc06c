"""The emails about people acting for institutions: invitations and requests to join."""

from django.urls import reverse

from accounts.models import Invitation, JoinRequest
from accounts.selectors import institution_manager_emails
from notifications.catalogue import Notification, NotificationKind, notification_register


def _invitation(pk: int) -> Invitation:
    return Invitation.objects.select_related("institution", "invited_by").get(pk=pk)


def _join_request(pk: int) -> JoinRequest:
    return JoinRequest.objects.select_related("institution", "user").get(pk=pk)


def register() -> None:
    notification_register(
        NotificationKind.INVITATION,
        Notification(
            load=_invitation,
            recipients=lambda invitation: [invitation.email],
            context=lambda invitation: {
                "invitation": invitation,
                "path": reverse("accounts:invitation", kwargs={"token": invitation.token}),
            },
        ),
    )
    notification_register(
        NotificationKind.JOIN_REQUEST,
        Notification(
            load=_join_request,
            recipients=lambda join_request: institution_manager_emails(
                institution_id=join_request.institution_id
            ),
            context=lambda join_request: {
                "join_request": join_request,
                "path": reverse("accounts:institution", kwargs={"pk": join_request.institution_id}),
            },
        ),
    )
    notification_register(
        NotificationKind.JOIN_DECISION,
        Notification(
            load=_join_request,
            recipients=lambda join_request: [join_request.user.email],
            context=lambda join_request: {
                "join_request": join_request,
                "path": reverse("applications:mine"),
            },
        ),
    )
