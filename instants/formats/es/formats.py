# As in English: the time shown carries its zone, "2 de diciembre de 2026 a las 04:15 UTC".
DATETIME_FORMAT = r"j \d\e F \d\e Y \a \l\a\s H:i T"
SHORT_DATETIME_FORMAT = "d/m/Y H:i T"
