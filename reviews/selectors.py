"""Reads for reviewers, scoped to the reviewer who asks; and who may open an application's
documents, which only this app can say (the reviewers who accepted)."""

from django.db.models import Q, QuerySet

from accounts.models import User
from applications.enums import DocumentPurpose
from applications.models import ApplicationDocument
from endorsements.selectors import endorser_country_q
from networks.rules import is_administrator
from networks.selectors import networks_coordinated_by
from reviews.enums import AssignmentStatus
from reviews.models import Assignment


def assignments_of(*, user: User) -> QuerySet[Assignment]:
    """The user's own assignments, newest first, with what the list shows."""
    return (
        Assignment.objects.filter(reviewer__user=user)
        .select_related("application__call__network", "application__institution", "review")
        .order_by("due_at", "-assigned_at", "pk")  # a stable order, page after page
    )


def documents_visible_to(*, user: User) -> QuerySet[ApplicationDocument]:
    """Documents of applications of the institutions the user acts for, that the user has
    accepted to review (after declaring no conflict of interest), or whose network the user
    coordinates; national endorsers see the letters of endorsement of their country's submitted
    applications, and nothing else; administrators see every document."""
    if is_administrator(user):
        return ApplicationDocument.objects.select_related("application")
    applicant = Q(application__institution__affiliations__user=user)
    reviewer = Q(
        application__assignments__reviewer__user=user,
        application__assignments__status=AssignmentStatus.ACCEPTED,
    )
    coordinator = Q(application__call__network__in=networks_coordinated_by(user=user))
    endorser = Q(purpose=DocumentPurpose.ENDORSEMENT) & endorser_country_q(
        user=user, prefix="application__"
    )
    return (
        ApplicationDocument.objects.filter(applicant | reviewer | coordinator | endorser)
        .select_related("application")
        .distinct()
    )
