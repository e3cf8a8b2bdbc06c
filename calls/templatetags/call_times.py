"""Template tags that show an instant with its time zone, in the call's zone and the visitor's."""

import itertools
import zoneinfo

from django import template

from instants.formatting import instant_text

register = template.Library()
_ids = itertools.count()


@register.inclusion_tag("calls/includes/instant.html")
def instant(value, zone_name):
    """An instant in a named zone, with a slot the browser fills with the visitor's local time."""
    return {
        "utc": value.astimezone(zoneinfo.ZoneInfo("UTC")),
        "local": instant_text(value, zone_name),
        "slot_id": f"local-time-{next(_ids)}",
    }
