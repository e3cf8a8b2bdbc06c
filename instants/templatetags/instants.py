"""The |in_zone filter: an instant in a named time zone, with the zone, for emails and pages."""

from django import template

from instants.formatting import instant_text

register = template.Library()


@register.filter
def in_zone(value, zone_name=None):
    """`{{ call.deadline|in_zone:call.time_zone }}` gives "31 March 2027, 17:00 CET
    (Europe/Brussels)"; without a zone, the portal's own zone."""
    return instant_text(value, zone_name)


@register.filter
def in_zone_seconds(value, zone_name=None):
    """As |in_zone, to the second (a submission's receipt)."""
    return instant_text(value, zone_name, fmt="j F Y, H:i:s")
