"""People and pages as the institution tests need them: signed-up users and their affiliations."""

from allauth.account.models import EmailAddress

from accounts.enums import InstitutionRole
from tests.factories import AffiliationFactory, UserFactory


def person(email=None, *, verified=True):
    """A user whose own address is verified, as allauth leaves it after sign-up."""
    user = UserFactory(**({"email": email} if email else {}))
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


def acting_for(institution, role=InstitutionRole.CONTRIBUTOR, user=None):
    """A person (new unless given) acting for the institution in the role."""
    return AffiliationFactory(institution=institution, role=role, user=user or person()).user


def page(response):
    return response.content.decode()
