"""Which fields of which models hold personal data: read from each model's own declaration.

A model that holds personal data says so in a nested `PersonalData` class, next to its fields
(like Django's `Meta`), so the declaration changes with the model and needs no import:

    class PersonalData:
        activity = "applications"        # the processing activity (erasure/activities.py)
        person = ("confirmed_by",)       # the paths from a row to the person it is about
        erase = ("full_name",)           # blanked when that person is erased
        scrub = ("reason",)              # the person's name and email taken out where they appear
        keep = ("signed_on",)            # personal, kept as the institutional record
        delete = False                   # True: the person's rows are deleted on erasure

`person` may be empty (rows are found by what they contain: `scrub`); "" names the person
itself (the user model). Models of other projects (allauth, Django's sessions) are declared in
`EXTERNAL` below. The erasure (`erasure/anonymise.py`), the retention rules and
`manage.py processing_register` all read this, through `personal_data_declarations()`.
"""

import dataclasses

from django.apps import apps
from django.db import models

# Models we do not own, declared here in the same form.
EXTERNAL = {
    "account.emailaddress": {
        "activity": "accounts",
        "person": ("user",),
        "keep": ("email", "verified", "primary"),
        "delete": True,
    },
    "account.emailconfirmation": {
        "activity": "accounts",
        "person": ("email_address__user",),
        "keep": ("created", "sent"),
        "delete": True,
    },
    # A session names its person only inside its encoded data: erasure ends them one by one.
    "sessions.session": {
        "activity": "accounts",
        "keep": ("session_data", "expire_date"),
        "delete": True,
    },
    "mfa.authenticator": {
        "activity": "accounts",
        "person": ("user",),
        "keep": ("type", "created_at", "last_used_at"),
        "delete": True,
    },
}


@dataclasses.dataclass(frozen=True)
class PersonalDataDeclaration:
    """One model's personal fields and how they are treated."""

    model: type[models.Model]
    activity: str
    person: tuple[str, ...] = ()
    erase: tuple[str, ...] = ()
    scrub: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    delete: bool = False

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def fields(self) -> tuple[str, ...]:
        """Every personal field, in the order declared."""
        return self.erase + self.scrub + self.keep

    def field(self, name: str) -> models.Field:
        return self.model._meta.get_field(name)

    def person_q(self, user) -> models.Q | None:
        """The rows about this person (None when rows are not linked to a person)."""
        if not self.person:
            return None
        query = models.Q()
        for path in self.person:
            query |= models.Q(pk=user.pk) if path == "" else models.Q(**{path: user})
        return query


def _declaration(model, spec: dict) -> PersonalDataDeclaration:
    declaration = PersonalDataDeclaration(
        model=model,
        activity=spec["activity"],
        person=tuple(spec.get("person", ())),
        erase=tuple(spec.get("erase", ())),
        scrub=tuple(spec.get("scrub", ())),
        keep=tuple(spec.get("keep", ())),
        delete=bool(spec.get("delete", False)),
    )
    for name in declaration.fields:
        declaration.field(name)  # a misspelt field fails loudly here (FieldDoesNotExist)
    return declaration


def personal_data_declarations() -> list[PersonalDataDeclaration]:
    """Every model holding personal data, in the order of INSTALLED_APPS."""
    declarations = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue  # declared by its concrete model
        spec = getattr(model, "PersonalData", None)
        if spec is not None:
            own = {key: value for key, value in vars(spec).items() if not key.startswith("_")}
            declarations.append(_declaration(model, own))
        elif model._meta.label_lower in EXTERNAL:
            declarations.append(_declaration(model, EXTERNAL[model._meta.label_lower]))
    return declarations
