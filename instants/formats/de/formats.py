# As in English: the time shown carries its zone, "2. Dezember 2026 04:15 UTC".
DATETIME_FORMAT = "j. F Y H:i T"
SHORT_DATETIME_FORMAT = "d.m.Y H:i T"
