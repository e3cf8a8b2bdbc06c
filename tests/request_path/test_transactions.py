"""The pages that write nothing open no transaction, and the sign-in page no database connection."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import CallFactory


def test_the_sign_in_page_needs_no_database(client):
    # No database mark: pytest-django refuses any connection, which a transaction would open.
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert b'name="password"' in response.content


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_public_pages_run_their_queries_outside_a_transaction(client):
    call = CallFactory(is_published=True)
    seen = []

    def record(execute, sql, params, many, context):
        seen.append(connection.in_atomic_block)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        for url in (
            reverse("home"),
            reverse("calls:list"),
            reverse("calls:detail", args=[call.slug]),
            reverse("networks:detail", args=[call.network.slug]),
        ):
            assert client.get(url).status_code == 200, url

    assert seen
    assert not any(seen)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_that_writes_still_runs_in_one_transaction(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    seen = []

    def record(execute, sql, params, many, context):
        seen.append(connection.in_atomic_block)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(reverse("applications:mine")).status_code == 200

    assert seen
    assert any(seen)  # the view itself, inside ATOMIC_REQUESTS
