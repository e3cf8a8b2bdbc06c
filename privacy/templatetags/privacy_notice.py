"""The privacy notice's text as HTML: "## " starts a heading, "- " a list item, a blank line a
paragraph; [[NAME]] is one of the secretariat's details from the settings (PRIVACY_CONTACTS),
marked as missing while it is not set."""

import re

from django import template
from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

_PLACEHOLDER = re.compile(r"\[\[([A-Z_]+)\]\]")


def _fill(text: str) -> str:
    contacts = settings.PRIVACY_CONTACTS

    def value(match):
        name = match.group(1)
        if name == "EXPORT_DAYS":
            return escape(str(settings.DATA_EXPORT_EXPIRY_DAYS))
        given = contacts.get(name, "")
        if given:
            return escape(given)
        return format_html(
            '<mark class="privacy-placeholder">{}</mark>',
            _("[to be completed by the secretariat: %(setting)s]") % {"setting": f"PRIVACY_{name}"},
        )

    return _PLACEHOLDER.sub(value, escape(text))


@register.filter
def notice_html(text: str) -> str:
    parts = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.strip().splitlines()]
        if lines and lines[0].startswith("## "):
            parts.append(f'<h2 class="h4 mt-4">{_fill(lines[0][3:])}</h2>')
            lines = lines[1:]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_fill(line[2:])}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{_fill(' '.join(lines))}</p>")
    return mark_safe("\n".join(parts))
