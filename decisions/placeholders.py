"""The placeholders a decision letter template may use, checking them, and filling them in."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PLACEHOLDERS = {
    "institution": _("the applying institution's name"),
    "network": _("the network's name"),
    "call": _("the call's title"),
    "decision": _("the decision (accepted, rejected, …)"),
    "tier": _("the membership tier asked for"),
    "reason": _("the reason the coordinator gave for the decision"),
    "representative": _("the name of the institution's representative"),
    "redress_until": _("until when a review of the decision may be asked for (set on release)"),
    "portal_url": _("the address of the application on the portal"),
}

# The placeholders as a template writes them, for help texts and messages.
PLACEHOLDERS_WRITTEN = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)

# Filled in only when the letter is released, since the redress period starts then.
ON_RELEASE = "redress_until"


def validate_placeholders(text: str) -> None:
    """Refuse unknown placeholders, and attribute, index or format tricks on known ones."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise ValidationError(
            _(
                "A brace is not closed. Write placeholders as {institution}; write {{ and }} for a "
                "brace itself."
            ),
            code="braces",
        ) from None
    used = {name for _literal, name, _spec, _conversion in parsed if name is not None}
    unknown = sorted(used - PLACEHOLDERS.keys())
    if unknown:
        raise ValidationError(
            _("Unknown placeholder: %(unknown)s. Use only: %(known)s."),
            code="unknown_placeholder",
            params={
                "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                "known": PLACEHOLDERS_WRITTEN,
            },
        )
    for _literal, name, spec, conversion in parsed:
        if name is not None and (spec or conversion):
            raise ValidationError(
                _("Write the placeholder {%(name)s} without a format or conversion."),
                code="placeholder_format",
                params={"name": name},
            )


def placeholders_fill(text: str, values: dict[str, str]) -> str:
    """The text with each placeholder replaced by its value (plain strings only)."""
    validate_placeholders(text)
    return text.format_map(values)
