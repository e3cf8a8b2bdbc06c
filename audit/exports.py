"""The audit trail as a CSV download: the same rows `audit_export_rows` gives, streamed."""

from itertools import chain

from django.http import StreamingHttpResponse

from audit.selectors import EXPORT_COLUMNS, audit_export_rows
from spreadsheets.cells import CsvDictWriter, Echo


def audit_csv_response(queryset, filename: str) -> StreamingHttpResponse:
    """Entries as CSV, streamed, each row with its hash and its predecessor's: a changed or
    deleted record shows as a broken link (see `audit_export_rows` for how to re-verify).
    Text a spreadsheet would read as a formula gets a leading apostrophe (`spreadsheets`); the
    hashes are computed on the stored values, so re-verify with the apostrophe taken off."""
    writer = CsvDictWriter(Echo(), fieldnames=EXPORT_COLUMNS)
    header = {column: column for column in EXPORT_COLUMNS}
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in chain([header], audit_export_rows(queryset))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
