"""Reads on accounts for the institution pages, scoped to the person asking, in fixed queries."""

from allauth.account.models import EmailAddress
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.enums import MANAGING_ROLES, InstitutionRole
from accounts.models import Affiliation, Invitation, JoinRequest, User
from networks.models import Institution

# A search lists at most this many institutions; the person narrows it down beyond that.
INSTITUTION_SEARCH_LIMIT = 50


def affiliations_of(*, user: User) -> QuerySet[Affiliation]:
    """The institutions the person acts for, with their role and how many colleagues act too."""
    return (
        Affiliation.objects.filter(user=user)
        .select_related("institution")
        .annotate(people_count=Count("institution__affiliations"))
        .order_by("institution__name", "institution__pk")
    )


def invitations_waiting_for(*, user: User) -> QuerySet[Invitation]:
    """Open, unexpired invitations sent to one of the person's verified email addresses."""
    verified_address = EmailAddress.objects.filter(
        user=user, verified=True, email__iexact=OuterRef("email")
    )
    return (
        Invitation.objects.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())
        .filter(Exists(verified_address))
        .select_related("institution", "invited_by")
        .order_by("-created_at")
    )


def join_requests_open_of(*, user: User) -> QuerySet[JoinRequest]:
    """The person's requests to join institutions, not yet decided."""
    return (
        JoinRequest.objects.filter(user=user, decided_at__isnull=True)
        .select_related("institution")
        .order_by("-created_at")
    )


def institutions_search(*, user: User, text: str, country: str = "") -> list[Institution]:
    """Institutions whose name, acronym or city contains the text, at most the search limit
    plus one (so the page can say there are more), each marked with whether the person already
    acts for it or has asked to join it."""
    institutions = Institution.objects.filter(
        Q(name__icontains=text) | Q(acronym__icontains=text) | Q(city__icontains=text)
    )
    if country:
        institutions = institutions.filter(country=country)
    institutions = institutions.annotate(
        is_mine=Exists(Affiliation.objects.filter(user=user, institution=OuterRef("pk"))),
        is_asked=Exists(
            JoinRequest.objects.filter(
                user=user, institution=OuterRef("pk"), decided_at__isnull=True
            )
        ),
    ).order_by("name", "pk")
    return list(institutions[: INSTITUTION_SEARCH_LIMIT + 1])


def institution_ror_id_taken(*, ror_id: str) -> bool:
    """Whether an institution with this ROR identifier is registered already."""
    return Institution.objects.filter(ror_id=ror_id).exists()


def institution_ids_of(*, user: User) -> set[int]:
    """The ids of the institutions the person acts for."""
    return set(user.affiliations.values_list("institution_id", flat=True))


def colleagues_of(*, institution: Institution) -> QuerySet[Affiliation]:
    """Everyone acting for the institution: representatives, then deputies, then contributors."""
    rank = Case(
        *(When(role=role, then=Value(i)) for i, role in enumerate(InstitutionRole)),
        default=Value(len(InstitutionRole)),
        output_field=IntegerField(),
    )
    return institution.affiliations.select_related("user").order_by(rank, "user__email")


def invitations_open_of(*, institution: Institution) -> QuerySet[Invitation]:
    """The institution's invitations not accepted yet, expired ones included (marked so)."""
    return (
        institution.invitations.filter(accepted_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def join_requests_open_for(*, institution: Institution) -> QuerySet[JoinRequest]:
    """Requests to join the institution that its representative or deputy has to decide."""
    return (
        institution.join_requests.filter(decided_at__isnull=True)
        .select_related("user")
        .order_by("created_at")
    )


def institution_manager_emails(*, institution_id: int) -> list[str]:
    """The addresses of the institution's representatives and deputies with an active account:
    who is told of what concerns the institution as a whole."""
    return sorted(
        Affiliation.objects.filter(
            institution_id=institution_id, role__in=MANAGING_ROLES, user__is_active=True
        ).values_list("user__email", flat=True)
    )
