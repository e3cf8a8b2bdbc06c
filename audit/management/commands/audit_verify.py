from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditEntry
from audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's hash chain and report every changed, missing or "
        "unlinked entry. Exits with status 1 on any problem."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect",
            metavar="SEQUENCE:HASH",
            action="append",
            default=[],
            help=(
                "A hash kept elsewhere (e.g. the last row of an earlier export); the entry "
                "with that number must still carry it. Catches entries removed from the end."
            ),
        )
        parser.add_argument("--chunk-size", type=int, default=2000)

    def handle(self, *args, expect, chunk_size, **options):
        expected = {}
        for item in expect:
            sequence, _, digest = item.partition(":")
            if not sequence.isdigit() or len(digest) != 64:
                raise CommandError(f"--expect takes SEQUENCE:HASH, not {item!r}.")
            expected[int(sequence)] = digest.lower()

        report = audit_chain_verify(chunk_size=chunk_size)
        problems = list(report.problems)
        if expected:
            found = dict(
                AuditEntry.objects.filter(sequence__in=expected).values_list("sequence", "hash")
            )
            for sequence, digest in sorted(expected.items()):
                if sequence not in found:
                    problems.append(f"entry #{sequence} is missing (expected from elsewhere)")
                elif found[sequence] != digest:
                    problems.append(f"entry #{sequence} does not match the expected hash")

        if problems:
            raise CommandError(
                f"The audit trail has {len(problems)} problem(s) in {report.count} entries:\n"
                + "\n".join(problems)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: {report.count} entries, chain intact"
                + (f", last #{report.last_sequence} {report.last_hash}" if report.count else "")
            )
        )
