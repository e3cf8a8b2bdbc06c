import pytest
from django.db import connection

from applications.models import Application
from audit.services import audit_record
from tests.factories import CallFactory, InstitutionFactory, UserFactory


@pytest.fixture
def application(db):
    return Application.objects.create(
        call=CallFactory(),
        institution=InstitutionFactory(),
        tier_requested="full_member",
        created_by=UserFactory(),
    )


@pytest.fixture
def record(application):
    """record(n) appends n status entries for one application and returns them, oldest first."""

    def run(count, **kwargs):
        return [
            audit_record(
                action="application.status",
                obj=application,
                actor=application.created_by,
                reason=f"Step {index}",
                data={"from": "draft", "to": "submitted", "step": index},
                **kwargs,
            )
            for index in range(count)
        ]

    return run


@pytest.fixture
def raw_sql():
    """Tamper with the table as someone with database access would, bypassing the ORM."""

    def run(sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    return run
