# Django's default way to show a date and time (the admin's lists and read-only fields, a bare
# {{ value }}) carries the zone's abbreviation: "2 December 2026, 04:15 UTC".
DATETIME_FORMAT = "j F Y, H:i T"
SHORT_DATETIME_FORMAT = "Y-m-d H:i T"
