from django.core.management.base import BaseCommand

from erasure.retention import RULES, retention_run


class Command(BaseCommand):
    help = (
        "Run the retention rules (settings.RETENTION_RULES): with --dry-run, print what each "
        "would erase and erase nothing; without it, erase for the rules marked to apply. "
        "Either way a retention report is recorded (Admin > Retention reports)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report only; erase nothing.")

    def handle(self, *args, dry_run, **options):
        report = retention_run(dry_run=dry_run)
        for finding in report.findings:
            rule = RULES[finding["rule"]]
            mode = "applies" if finding["apply"] else "reports only"
            self.stdout.write(
                f"{finding['rule']} (after {finding['after_days']} days, {mode}): "
                f"{finding['count']} would go, {finding['applied']} erased"
            )
            self.stdout.write(f"  {rule.description}")
            for label in finding["items"]:
                self.stdout.write(f"  - {label}")
        self.stdout.write(
            self.style.SUCCESS(f"Report #{report.pk} recorded{' (dry run)' if dry_run else ''}.")
        )
