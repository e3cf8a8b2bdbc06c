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


def test_every_model_declaring_personal_data_is_in_the_copy_a_person_downloads():
    """What erasure and the register know as personal (erasure/declarations.py) is what "Download
    my data" gives: one list of personal data, two uses."""
    from erasure.declarations import personal_data_declarations

    declared = {declaration.model._meta.label for declaration in personal_data_declarations()}
    not_in_the_copy = {
        # A session names its person only inside its signed data.
        "sessions.Session",
        # A confirmation key is a secret; the addresses it confirms are in the copy.
        "account.EmailConfirmation",
        # The queue of work to do: the emails it sent are in the copy (notifications).
        "outbox.OutboxItem",
        # What the router did, in its words: the assignments it made are in the copy.
        "reviews.RoutingEvent",
    }
    assert declared - personal_data_models() - not_in_the_copy == set()
