import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from networks.enums import MembershipTier
from networks.models import Membership
from networks.services import membership_end, membership_grant
from tests.factories import InstitutionFactory, MembershipFactory, NetworkFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)


def test_affiliated_partner_membership_ends_when_a_full_member_from_its_country_joins():
    network = NetworkFactory()
    affiliated = membership_grant(
        institution=InstitutionFactory(country="LT"),
        network=network,
        tier=MembershipTier.AFFILIATED_PARTNER,
        since=datetime.date(2025, 6, 1),
    )
    joining = InstitutionFactory(country="LT", name="Vilnius University Hospital")

    membership_grant(
        institution=joining, network=network, tier=MembershipTier.FULL_MEMBER, since=DAY
    )

    affiliated.refresh_from_db()
    assert affiliated.until == DAY
    assert "Vilnius University Hospital" in affiliated.reason_ended
    assert "Lithuania" in affiliated.reason_ended


def test_affiliated_partner_stays_when_a_full_member_joins_from_another_country_or_network():
    network, other_network = NetworkFactory(), NetworkFactory()
    affiliated = membership_grant(
        institution=InstitutionFactory(country="LT"),
        network=network,
        tier=MembershipTier.AFFILIATED_PARTNER,
        since=DAY,
    )
    membership_grant(
        institution=InstitutionFactory(country="LV"),
        network=network,
        tier=MembershipTier.FULL_MEMBER,
        since=DAY,
    )
    membership_grant(
        institution=InstitutionFactory(country="LT"),
        network=other_network,
        tier=MembershipTier.FULL_MEMBER,
        since=DAY,
    )
    affiliated.refresh_from_db()
    assert affiliated.is_current


def test_affiliated_partner_is_refused_where_the_country_already_has_a_full_member():
    network = NetworkFactory()
    MembershipFactory(network=network, institution=InstitutionFactory(country="EE"))
    with pytest.raises(ValidationError, match="no full member"):
        membership_grant(
            institution=InstitutionFactory(country="EE"),
            network=network,
            tier=MembershipTier.AFFILIATED_PARTNER,
            since=DAY,
        )


def test_a_supporting_member_does_not_end_an_affiliated_partner():
    network = NetworkFactory()
    affiliated = membership_grant(
        institution=InstitutionFactory(country="MT"),
        network=network,
        tier=MembershipTier.AFFILIATED_PARTNER,
        since=DAY,
    )
    membership_grant(
        institution=InstitutionFactory(country="MT"),
        network=network,
        tier=MembershipTier.SUPPORTING_MEMBER,
        since=DAY,
    )
    affiliated.refresh_from_db()
    assert affiliated.is_current


def test_membership_grant_refuses_a_second_current_membership_of_the_same_network():
    membership = MembershipFactory()
    with pytest.raises(ValidationError, match="already a member"):
        membership_grant(
            institution=membership.institution,
            network=membership.network,
            tier=MembershipTier.FULL_MEMBER,
            since=DAY,
        )


def test_membership_database_allows_one_current_membership_per_network():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            institution=membership.institution,
            network=membership.network,
            tier=MembershipTier.SUPPORTING_MEMBER,
            since=DAY,
        )


def test_membership_end_refuses_a_date_before_the_start():
    membership = MembershipFactory(since=DAY)
    with pytest.raises(ValidationError):
        membership_end(membership=membership, until=DAY - datetime.timedelta(days=1), reason="x")
    membership_end(membership=membership, until=DAY, reason="Left the network")
    assert not Membership.objects.current().filter(pk=membership.pk).exists()
