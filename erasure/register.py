"""The register of processing activities, derived from the models' `PersonalData`
declarations (erasure/declarations.py) and the activities they name (erasure/activities.py)."""

from django.conf import settings
from django.utils.encoding import force_str
from django.utils.text import capfirst

from erasure.activities import ACTIVITIES
from erasure.declarations import personal_data_declarations
from erasure.retention import RULES, rule_settings

# The secretariat's details are settings (shared with the privacy notice).
UNSET = "[to be set by the secretariat: settings.%s]"
TREATMENT = {"erase": "erased", "scrub": "name and email taken out", "keep": "kept"}


def _treatment(declaration, name: str) -> str:
    if declaration.delete:
        return "deleted"
    for kind in ("erase", "scrub", "keep"):
        if name in getattr(declaration, kind):
            return TREATMENT[kind]
    return ""


def register_entries() -> list[dict]:
    """One entry per activity: its texts, its models with their personal fields, its rules."""
    by_activity: dict[str, list] = {}
    for declaration in personal_data_declarations():
        by_activity.setdefault(declaration.activity, []).append(declaration)
    unknown = set(by_activity) - set(ACTIVITIES)
    if unknown:
        raise ValueError(f"Models name activities that are not described: {sorted(unknown)}")
    entries = []
    for key, activity in ACTIVITIES.items():
        models = []
        for declaration in by_activity.get(key, []):
            fields = [
                (
                    force_str(capfirst(declaration.field(name).verbose_name)),
                    name,
                    _treatment(declaration, name),
                )
                for name in declaration.fields
            ]
            models.append(
                {
                    "label": declaration.label,
                    "name": force_str(capfirst(declaration.model._meta.verbose_name_plural)),
                    "fields": fields,
                }
            )
        rules = [
            {"name": name, "description": RULES[name].description, **rule_settings(name)}
            for name in activity.rules
            if name in RULES
        ]
        entries.append({"key": key, "activity": activity, "models": models, "rules": rules})
    return entries


def processing_register(*, markdown: bool = False) -> str:
    """The register as text (or Markdown), one section per processing activity."""
    heading, bullet = ("## ", "- ") if markdown else ("", "  ")
    lines = [
        f"{'# ' if markdown else ''}Register of processing activities: JANE Networks Portal",
        f"Controller: {getattr(settings, 'PRIVACY_CONTROLLER', UNSET % 'PRIVACY_CONTROLLER')}",
        f"Data protection officer: {getattr(settings, 'PRIVACY_DPO', UNSET % 'PRIVACY_DPO')}",
        "",
    ]
    for entry in register_entries():
        activity = entry["activity"]
        lines += [
            f"{heading}{force_str(activity.name)} ({entry['key']})",
            f"{bullet}Purpose: {force_str(activity.purpose)}",
            f"{bullet}Legal basis: {force_str(activity.legal_basis)}",
            f"{bullet}Categories of persons: {force_str(activity.persons)}",
            f"{bullet}Recipients: {force_str(activity.recipients)}",
            f"{bullet}Retention: {force_str(activity.retention)}",
        ]
        for rule in entry["rules"]:
            mode = "applied" if rule["apply"] else "reported only"
            lines.append(f"{bullet}  rule {rule['name']}: after {rule['after_days']} days ({mode})")
        lines.append(f"{bullet}Categories of data:")
        for model in entry["models"]:
            fields = ", ".join(
                f"{label} [{name}: {treatment}]" for label, name, treatment in model["fields"]
            )
            lines.append(f"{bullet}  {model['name']} ({model['label']}): {fields or '-'}")
        lines.append("")
    return "\n".join(lines)
