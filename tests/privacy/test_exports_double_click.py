""" "Download my data" clicked twice: one export, one job, whether the second request comes
after the first (tests/privacy/test_exports.py) or at the very same time."""

import copy
import threading

import psycopg2
import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from outbox.models import OutboxItem
from privacy.models import DataExport
from privacy.services.exports import EXPORT_EFFECT

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WAIT_SECONDS = 20


def test_two_posts_at_the_same_instant_make_one_export_and_no_error(client, applicant):
    client.force_login(applicant)
    db = connection.settings_dict
    holder = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432
    )
    table = DataExport._meta.db_table
    responses, errors = [], []

    def click():
        second_tab = Client()
        second_tab.cookies = copy.deepcopy(client.cookies)  # the same browser's session
        try:
            responses.append(second_tab.post(reverse("privacy:my_data")).status_code)
        except Exception as error:  # the test client re-raises a server error
            errors.append(repr(error))
        finally:
            connections.close_all()

    # Both requests look for an export under way and find none, then both insert: the table is
    # held (reads allowed, writes wait) until both are at their insert.
    with holder.cursor() as cursor:
        cursor.execute(f'LOCK TABLE "{table}" IN SHARE MODE')
    clicks = [threading.Thread(target=click) for _ in range(2)]
    for thread in clicks:
        thread.start()
    try:
        with holder.cursor() as cursor:
            for _ in range(WAIT_SECONDS * 10):
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE relation = %s::regclass AND NOT granted",
                    [table],
                )
                if cursor.fetchone()[0] == 2:
                    break
                threading.Event().wait(0.1)
            else:
                pytest.fail("The two requests did not both reach their insert.")
    finally:
        holder.rollback()
        holder.close()
    for thread in clicks:
        thread.join(WAIT_SECONDS)
    assert errors == []
    assert responses == [302, 302]
    assert DataExport.objects.filter(user=applicant).count() == 1
    assert OutboxItem.objects.filter(kind=EXPORT_EFFECT).count() == 1
