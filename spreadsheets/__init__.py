"""Cells for every CSV and XLSX file the portal writes, so that no spreadsheet reads text as a
formula: the one neutraliser (`spreadsheets.cells`). Knows no app of the portal."""
