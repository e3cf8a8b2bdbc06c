"""The inventory covers every link to a person: a model that names a person and that no group
of privacy/inventory.py collects fails here."""

from django.apps import apps

from accounts.models import User
from privacy.inventory import personal_data_models, personal_data_user_fields

# Links to a person that are not personal data of theirs, each with why.
NOT_COLLECTED = {
    # Django's own join tables of permissions: rights, listed under roles by group.
    "accounts.User.user_permissions": "permissions are the role's, not data about the person",
}


def test_every_link_to_a_person_is_followed_by_a_group_of_the_inventory():
    links = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.auto_created or not field.is_relation or field.related_model is not User:
                continue
            if field.concrete or field.many_to_many:
                links.add(f"{model._meta.label}.{field.name}")
    missing = links - personal_data_user_fields() - set(NOT_COLLECTED)
    assert not missing, f"No group of privacy/inventory.py collects {sorted(missing)}"


def test_every_model_a_group_names_exists():
    for label in personal_data_models():
        apps.get_model(label)
