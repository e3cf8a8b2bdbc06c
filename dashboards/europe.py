"""A tile map of Europe: one square per country, placed roughly where the country lies.

Drawn without geodata: every country the calls admit by group (EU, EEA, associated) and their
neighbours that may apply. Countries not placed here are still counted in the tables.
"""

# ISO 3166-1 alpha-2 code -> (column, row).
TILES: dict[str, tuple[int, int]] = {
    "IS": (0, 0), "NO": (4, 0), "SE": (5, 0), "FI": (6, 0),
    "IE": (0, 1), "GB": (1, 1), "DK": (4, 1), "EE": (6, 1),
    "NL": (2, 2), "DE": (3, 2), "PL": (4, 2), "LT": (5, 2), "LV": (6, 2),
    "BE": (2, 3), "LU": (3, 3), "CZ": (4, 3), "SK": (5, 3), "UA": (6, 3),
    "FR": (1, 4), "CH": (2, 4), "LI": (3, 4), "AT": (4, 4), "HU": (5, 4), "RO": (6, 4),
    "MD": (7, 4),
    "PT": (0, 5), "ES": (1, 5), "IT": (3, 5), "SI": (4, 5), "HR": (5, 5), "RS": (6, 5),
    "BG": (7, 5),
    "BA": (5, 6), "ME": (6, 6), "MK": (7, 6),
    "MT": (3, 7), "AL": (6, 7), "GR": (7, 7), "CY": (8, 7),
}  # fmt: skip
