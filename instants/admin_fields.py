"""The admin's date-and-time inputs, named with the zone they are typed in.

Lists and read-only fields already carry the zone (instants/formats/); an input shows the time
in the active zone (the portal's, or the call's on a call's page), so it says which."""

from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _


class ZonedSplitDateTime(AdminSplitDateTime):
    """The admin's date and time inputs, followed by the zone they are read and written in."""

    def render(self, name, value, attrs=None, renderer=None):
        inputs = super().render(name, value, attrs, renderer)
        zone = timezone.get_current_timezone_name()
        return format_html(
            '{}<p class="help">{}</p>', inputs, _("Time zone: %(zone)s") % {"zone": zone}
        )


class TimesWithZoneAdmin:
    """Mixed into a ModelAdmin or an inline (before Django's class): its date-and-time inputs
    name their zone."""

    formfield_overrides = {models.DateTimeField: {"widget": ZonedSplitDateTime}}
