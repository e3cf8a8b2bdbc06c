from django.db import migrations

from decisions.defaults import DEFAULT_LETTERS


def seed(apps, schema_editor):
    """The portal's default letter for each outcome, editable by administrators."""
    LetterTemplate = apps.get_model("decisions", "LetterTemplate")
    for outcome, (subject, body) in DEFAULT_LETTERS.items():
        LetterTemplate.objects.get_or_create(
            outcome=outcome,
            network=None,
            call=None,
            defaults={"subject": subject, "body": body},
        )


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
