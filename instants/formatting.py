"""One way to write an instant for a reader: "31 March 2027, 17:00 CET (Europe/Brussels)"."""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import dateformat, timezone

DEFAULT_FORMAT = "j F Y, H:i"


def instant_text(
    value: datetime.datetime | None, zone_name: str | None = None, *, fmt: str = DEFAULT_FORMAT
) -> str:
    """The instant in the named zone (the portal's own zone when none is given), followed by the
    zone's abbreviation and, when the abbreviation is not the name itself, its name.

    Formatted here rather than with the |date filter, which would turn the instant back into the
    active zone. An empty value gives an empty text.
    """
    if value is None:
        return ""
    zone_name = zone_name or settings.TIME_ZONE
    local = timezone.localtime(value, zoneinfo.ZoneInfo(zone_name))
    abbreviation = local.tzname() or zone_name
    text = f"{dateformat.format(local, fmt)} {abbreviation}"
    return text if abbreviation == zone_name else f"{text} ({zone_name})"
