from django.core.management.base import BaseCommand

from erasure.register import processing_register


class Command(BaseCommand):
    help = (
        "Print the register of processing activities (article 31 of Regulation (EU) "
        "2018/1725, article 30 GDPR), derived from the models' personal-data declarations."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "markdown"], default="text")

    def handle(self, *args, format, **options):
        self.stdout.write(processing_register(markdown=format == "markdown"))
