"""Exports of a call (applications, reviews, decisions; CSV and XLSX) for its coordinators only."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from tests.admin import test_ranking as ranking
from tests.admin.test_ranking import applying, criteria, reviewer, sign_in
from tests.factories import AssignmentFactory, UserFactory, submitted_review

# The ranking's world: a call with two scored criteria, and its coordinator signed in.
call = ranking.call
coordinator_client = ranking.coordinator_client

pytestmark = pytest.mark.django_db

KINDS = ["applications", "reviews", "decisions"]
FORMATS = ["csv", "xlsx"]
EXPORTS = [(kind, file_format) for kind in KINDS for file_format in FORMATS]


def export_url(call, kind, file_format):
    return reverse("admin:applications_application_export", args=[call.pk, kind, file_format])


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(body(response))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def rows_of(response, file_format):
    return csv_rows(response) if file_format == "csv" else xlsx_rows(response)


@pytest.fixture
def decided(call):
    """Two applications of the call, one reviewed and accepted, with a representative; a draft."""
    representative = UserFactory(name="Rita Rep", email="rita@hospital.example")
    accepted = applying(call, "Accepted hospital", reviews=[(5, 10), (4, 5)], status="accepted")
    accepted.representative = representative
    accepted.save(update_fields=["representative"])
    coordinator = UserFactory(name="Carla Coordinator")
    accepted.status_changes.create(
        from_status="in_review", to_status="accepted", actor=coordinator, reason="Strong unit."
    )
    applying(call, "Waiting hospital", reviews=[(1, 1)], status="in_review")
    applying(call, "Draft hospital", status="draft")
    return accepted


# What is in them --------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", FORMATS)
def test_applications_export_has_each_submitted_application_with_its_scores(
    coordinator_client, call, decided, file_format
):
    response = coordinator_client.get(export_url(call, "applications", file_format))

    assert response.status_code == 200
    assert f"{call.slug}-applications.{file_format}" in response["Content-Disposition"]
    header, *rows = rows_of(response, file_format)
    by_name = {row[header.index("Institution")]: row for row in rows}
    assert set(by_name) == {"Accepted hospital", "Waiting hospital"}  # no draft
    accepted = by_name["Accepted hospital"]
    assert accepted[header.index("Status")] == "Accepted"
    assert accepted[header.index("Representative's email")] == "rita@hospital.example"
    assert float(accepted[header.index("Mean weighted score (of 100)")]) == 85.0
    assert int(accepted[header.index("Reviews submitted")]) == 2
    assert accepted[header.index("Reviewers disagree")] == "yes"


@pytest.mark.parametrize("file_format", FORMATS)
def test_reviews_export_has_a_row_per_assignment_with_scores_per_criterion(
    coordinator_client, call, decided, file_format
):
    response = coordinator_client.get(export_url(call, "reviews", file_format))

    header, *rows = rows_of(response, file_format)
    assert "A (0–5)" in header and "B (0–10)" in header
    assert len(rows) == 3  # two reviews of one application, one of the other
    accepted = [row for row in rows if row[header.index("Institution")] == "Accepted hospital"]
    assert sorted(float(row[header.index("Weighted score (of 100)")]) for row in accepted) == [
        70.0,
        100.0,
    ]
    assert sorted(int(row[header.index("A (0–5)")]) for row in accepted) == [4, 5]
    # Reviewers are named, their addresses are not exported.
    assert "reviewer0@example.org" not in str(rows)


@pytest.mark.parametrize("file_format", FORMATS)
def test_decisions_export_has_who_decided_when_and_why(
    coordinator_client, call, decided, file_format
):
    response = coordinator_client.get(export_url(call, "decisions", file_format))

    header, *rows = rows_of(response, file_format)
    assert len(rows) == 1
    row = rows[0]
    assert row[header.index("Decision")] == "Accepted"
    assert row[header.index("By")] == "Carla Coordinator"
    assert row[header.index("Reason")] == "Strong unit."
    at_column = next(name for name in header if name.startswith("At "))
    assert call.time_zone in at_column  # times are named with their zone


def test_xlsx_times_are_local_to_the_call(coordinator_client, call, decided):
    change = decided.status_changes.get()
    change.at = datetime.datetime(2026, 7, 1, 10, 0, tzinfo=datetime.UTC)
    change.save(update_fields=["at"])
    call.time_zone = "Europe/Brussels"
    call.save(update_fields=["time_zone"])

    xlsx = xlsx_rows(coordinator_client.get(export_url(call, "decisions", "xlsx")))
    text = csv_rows(coordinator_client.get(export_url(call, "decisions", "csv")))

    assert datetime.datetime(2026, 7, 1, 12, 0) in xlsx[1]  # summer time, UTC+2
    assert "2026-07-01T12:00+02:00" in text[1]


def formula_laden(call):
    application = applying(call, '=HYPERLINK("http://evil.example","x")', status="in_review")
    a, b = criteria(call)
    submitted_review(
        AssignmentFactory(application=application, reviewer=reviewer(5)),
        {a: 5, b: 10},
        comments="@SUM(A1:A9)",
    )
    application.status_changes.create(
        from_status="in_review", to_status="waitlisted", reason="+1 more place later"
    )
    submitted_review(
        AssignmentFactory(application=application, reviewer=reviewer(6)),
        {a: 4, b: 8},
        comments="\tcmd|' /C calc'!A0",
    )


FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "@SUM(A1:A9)",
    "+1 more place later",
    "\tcmd|' /C calc'!A0",
]


def test_csv_exports_neutralise_formulas_with_an_apostrophe(coordinator_client, call):
    formula_laden(call)

    cells = [
        cell
        for kind in KINDS
        for row in csv_rows(coordinator_client.get(export_url(call, kind, "csv")))
        for cell in row
    ]

    for formula in FORMULAS:
        assert "'" + formula in cells
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)


def test_xlsx_exports_keep_formulas_as_text_with_no_visible_apostrophe(coordinator_client, call):
    formula_laden(call)

    cells = [
        cell
        for kind in KINDS
        for row in load_workbook(
            io.BytesIO(body(coordinator_client.get(export_url(call, kind, "xlsx"))))
        ).active.iter_rows()
        for cell in row
    ]

    texts = {cell.value: cell for cell in cells if isinstance(cell.value, str)}
    for formula in FORMULAS:
        # Shown exactly as typed: a string cell with the quote-prefix style, never a formula.
        assert formula in texts
        assert texts[formula].data_type == "s"
        assert texts[formula].quotePrefix
    assert not any(cell.data_type == "f" for cell in cells)
    assert not any(isinstance(c.value, str) and c.value.startswith("'") for c in cells)


def test_csv_is_streamed(coordinator_client, call, decided):
    response = coordinator_client.get(export_url(call, "applications", "csv"))

    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")


def test_an_unknown_export_or_call_gives_no_file(coordinator_client, call, decided):
    base = f"/admin/applications/application/call/{call.pk}/export/"
    for url in [f"{base}answers.csv/", f"{base}applications.pdf/"]:
        response = coordinator_client.get(url, follow=True)
        assert "Content-Disposition" not in response, url
        assert "Accepted hospital" not in response.content.decode()
    missing = reverse(
        "admin:applications_application_export", args=[call.pk + 1000, "reviews", "csv"]
    )
    assert coordinator_client.get(missing).status_code == 404


# Who gets them ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "file_format"), EXPORTS)
@pytest.mark.parametrize("role", ["anonymous", "applicant", "reviewer", "observer"])
def test_exports_are_closed_to_other_roles(client, call, decided, role, kind, file_format):
    sign_in(client, role, call.network)

    response = client.get(export_url(call, kind, file_format))

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "login" in response["Location"]
    assert b"Accepted hospital" not in body(response)


@pytest.mark.parametrize(("kind", "file_format"), EXPORTS)
def test_a_coordinator_of_another_network_gets_nothing_even_with_the_call_id(
    client, call, decided, kind, file_format
):
    sign_in(client, "other_coordinator", call.network)

    response = client.get(export_url(call, kind, file_format))

    assert response.status_code == 404
    assert b"Accepted hospital" not in body(response)


@pytest.mark.parametrize(("kind", "file_format"), EXPORTS)
@pytest.mark.parametrize("role", ["coordinator", "administrator"])
def test_coordinators_and_administrators_get_the_exports(
    client, call, decided, role, kind, file_format
):
    sign_in(client, role, call.network)

    response = client.get(export_url(call, kind, file_format))

    assert response.status_code == 200
    assert "Accepted hospital" in str(rows_of(response, file_format))


# Queries ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "file_format"), EXPORTS)
def test_export_queries_do_not_grow_with_applications(
    coordinator_client, call, count_queries, kind, file_format
):
    def add(start, stop):
        for number in range(start, stop):
            application = applying(call, f"Hospital {number}", reviews=[(number % 6, 3), (5, 10)])
            application.status_changes.create(
                from_status="in_review", to_status="waitlisted", reason="Later"
            )

    def export():
        response = coordinator_client.get(export_url(call, kind, file_format))
        return response, rows_of(response, file_format)

    add(0, 1)
    with_one, (response, rows) = count_queries(export)
    assert response.status_code == 200
    add(1, 50)
    with_fifty, (response, rows) = count_queries(export)

    expected_rows = 100 if kind == "reviews" else 50
    assert len(rows) == 1 + expected_rows
    assert with_fifty == with_one


def test_each_export_is_recorded_in_the_audit_trail(coordinator_client, call, decided):
    body(coordinator_client.get(export_url(call, "applications", "xlsx")))
    entry = AuditEntry.objects.filter(action="call.exported").get()
    assert entry.object_id == str(call.pk)
    assert entry.data == {"kind": "applications", "format": "xlsx"}
    assert call.network.coordinators.filter(pk=entry.actor_id).exists()
