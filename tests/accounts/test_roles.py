import pytest
from django.contrib.auth.models import Group

from accounts import roles

pytestmark = pytest.mark.django_db


def test_migrate_creates_every_role_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.GROUP_LABELS)


def test_network_coordinators_may_edit_calls_but_only_read_institutions():
    codenames = set(
        Group.objects.get(name=roles.NETWORK_COORDINATORS).permissions.values_list(
            "codename", flat=True
        )
    )
    assert {"view_call", "add_call", "change_call", "change_criterion"} <= codenames
    assert "view_institution" in codenames
    assert "change_institution" not in codenames
    assert "delete_call" not in codenames


def test_ec_observers_get_no_admin_permission():
    assert not Group.objects.get(name=roles.EC_OBSERVERS).permissions.exists()
