"""Template tags that show an instant with its time zone, in the call's zone and the visitor's."""

import itertools
import zoneinfo

from django import template
from django.utils import dateformat, timezone

register = template.Library()
_ids = itertools.count()


@register.inclusion_tag("calls/includes/instant.html")
def instant(value, zone_name):
    """An instant in a named zone, with a slot the browser fills with the visitor's local time."""
    zone = zoneinfo.ZoneInfo(zone_name)
    return {
        "utc": value.astimezone(zoneinfo.ZoneInfo("UTC")),
        # Formatted here: the |date filter would turn the instant back into the active zone.
        "local": dateformat.format(timezone.localtime(value, zone), "j F Y, H:i T"),
        "zone_name": zone_name,
        "slot_id": f"local-time-{next(_ids)}",
    }
