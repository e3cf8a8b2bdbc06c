from django.db import migrations, models


class Migration(migrations.Migration):
    """Entries recorded so far keep scheme 1 (their hash covers the full payload); new entries
    are recorded with scheme 2 (the payload hashed apart, so it can be tombstoned)."""

    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="scheme",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="hash scheme"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="scheme",
            field=models.PositiveSmallIntegerField(default=2, verbose_name="hash scheme"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="payload_salt",
            field=models.CharField(blank=True, max_length=32, verbose_name="payload salt"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="payload_hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="payload hash"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="tombstoned_at",
            field=models.DateTimeField(
                blank=True,
                help_text="The payload was replaced by a tombstone; the entry keeps its hash.",
                null=True,
                verbose_name="personal data erased",
            ),
        ),
    ]
