"""The one neutraliser for spreadsheet cells (OWASP "CSV injection"), used by every export.

A spreadsheet reads a cell that starts with = + - @ as a formula, and one that starts with a tab
or a carriage return as a formula too once the whitespace is trimmed. Text typed by people
(an institution's name, a reason, a review's comments) may start so.

- In CSV, which has no cell types, such text gets a leading apostrophe: spreadsheets show it as
  text and keep the rest unchanged. So that the original can always be read back (the audit
  trail's hashes cover it), text that is already apostrophes before such a start gets one more:
  `csv_cell_original` undoes `csv_cell` exactly.
- In XLSX, the cell is written as a string with the "quote prefix" style: the spreadsheet shows
  the text as typed, with no apostrophe, and never evaluates it.

Numbers, dates and None pass unchanged: only text can smuggle a formula.
"""

import csv
from collections.abc import Iterable, Mapping

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    """Would a spreadsheet read this value as (the start of) a formula?"""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value):
    """A value safe to write in a CSV cell."""
    return "'" + value if _needs_apostrophe(value) else value


def csv_cell_original(text: str) -> str:
    """The value `csv_cell` was given, from the text it wrote (for re-verifying an export)."""
    if text.startswith("'") and _needs_apostrophe(text[1:]):
        return text[1:]
    return text


def _needs_apostrophe(value) -> bool:
    return isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS)


def csv_row(values: Iterable) -> list:
    """A row of values safe to write in CSV."""
    return [csv_cell(value) for value in values]


class CsvWriter:
    """csv.writer whose every cell is neutralised; `writerow` returns what the file's write
    returns (so it streams through an echoing file)."""

    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, values: Iterable):
        return self._writer.writerow(csv_row(values))

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


class CsvDictWriter:
    """csv.DictWriter whose every cell is neutralised."""

    def __init__(self, file, fieldnames: list[str], **options):
        self._writer = csv.DictWriter(file, fieldnames=fieldnames, **options)

    def writerow(self, row: Mapping):
        return self._writer.writerow({key: csv_cell(value) for key, value in row.items()})


class Echo:
    """A file whose write returns what it is given: for streaming a CSV writer's lines."""

    def write(self, value: str) -> str:
        return value


def xlsx_cell(sheet, value):
    """A cell for openpyxl's write-only `sheet.append`: formula-like text is a string cell with
    the quote prefix (shown as typed, no apostrophe, never evaluated); illegal XML characters,
    which openpyxl refuses, are dropped."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not is_formula_like(value):
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell
