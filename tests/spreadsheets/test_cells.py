"""The one neutraliser: formula-like text is made inert, everything else passes unchanged, and
the CSV form can be undone exactly."""

import datetime
import decimal

import pytest
from openpyxl import Workbook

from spreadsheets.cells import csv_cell, csv_cell_original, xlsx_cell

FORMULA_LIKE = ["=1+1", "+1", "-1", "@SUM(A1)", "\tcmd", "\r=2", "'=already", "''+x"]
HARMLESS = ["Institut Curie", "", "1 = 1", "a-b", "'s-Hertogenbosch", "O'Neill"]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_csv_cell_prefixes_formula_like_text_and_can_be_undone(text):
    written = csv_cell(text)

    assert written == "'" + text
    assert csv_cell_original(written) == text


@pytest.mark.parametrize("value", [*HARMLESS, 3, -2, decimal.Decimal("-1.5"), None])
def test_csv_cell_leaves_other_values_alone(value):
    assert csv_cell(value) == value
    if isinstance(value, str):
        assert csv_cell_original(value) == value


@pytest.mark.parametrize("text", FORMULA_LIKE[:6])
def test_xlsx_cell_writes_formula_like_text_as_a_quoted_string(text):
    sheet = Workbook(write_only=True).create_sheet()

    cell = xlsx_cell(sheet, text)

    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


def test_xlsx_cell_leaves_other_values_alone_and_drops_illegal_characters():
    sheet = Workbook(write_only=True).create_sheet()
    today = datetime.date(2026, 12, 2)

    assert [xlsx_cell(sheet, value) for value in ["Curie", 3, today, None]] == [
        "Curie",
        3,
        today,
        None,
    ]
    assert xlsx_cell(sheet, "bell\x07") == "bell"
