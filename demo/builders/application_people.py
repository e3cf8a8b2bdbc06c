"""The people of the demo applications: their network coordinators and representatives."""

import random

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from accounts.enums import InstitutionRole
from accounts.models import Affiliation

# The accounts builder keeps the one rule for which institution the demo applicant represents.
from demo.builders.accounts import DEMO_EMAIL_DOMAIN
from demo.builders.application_plan import (
    GIVEN_NAMES,
    SURNAMES,
    Plan,
)
from networks.models import Network


def person_name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(GIVEN_NAMES), rng.choice(SURNAMES)


def demo_user(User, local_part: str, name: str):
    user, _new = User.objects.get_or_create(
        email=f"{local_part}@{DEMO_EMAIL_DOMAIN}", defaults={"name": name}
    )
    return user


def coordinators_ensure(networks: list[Network]) -> dict[int, object]:
    """The demo coordinator for the first network; for the others a coordinator who does not
    sign in, so that their decisions too are made by someone who coordinates the network."""
    User = get_user_model()
    coordinators = {}
    for index, network in enumerate(networks):
        if index == 0:
            user = demo_user(User, "coordinator", "Demo network coordinator")
        else:
            name = " ".join(person_name(random.Random(network.slug)))
            user = demo_user(User, f"coordinator.{network.slug}", name)
            if user.has_usable_password():
                user.set_unusable_password()
                user.save(update_fields=["password"])
        network.coordinators.add(user)
        coordinators[network.pk] = user
    return coordinators


def representatives_ensure(User, plans: list[Plan]) -> None:
    """One representative for each applying institution, affiliated to it; none signs in."""
    people = {}
    for plan in plans:
        if plan.representative is not None:
            continue
        if plan.institution.pk not in people:
            given, surname = person_name(plan.rng)
            local_part = f"{slugify(given)}.{slugify(surname)}.{len(people) + 1:03d}"
            user = User(email=f"{local_part}@{DEMO_EMAIL_DOMAIN}", name=f"{given} {surname}")
            user.set_unusable_password()
            people[plan.institution.pk] = user
        plan.representative = people[plan.institution.pk]
    User.objects.bulk_create(people.values())
    Affiliation.objects.bulk_create(
        Affiliation(user=user, institution_id=pk, role=InstitutionRole.REPRESENTATIVE)
        for pk, user in people.items()
    )
