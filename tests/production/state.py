"""What the topology's database holds about the applicant's application, printed as one line of
JSON by `scripts/production manage shell` (production's settings)."""

import json
import sys

from django.db.models import Count

from applications.models import Application
from outbox.models import OutboxItem


def main(public_id: str) -> None:
    applications = Application.objects.filter(public_id=public_id)
    application = applications.get()
    print(
        json.dumps(
            {
                "applications_of_institution_and_call": Application.objects.filter(
                    call=application.call, institution=application.institution
                ).count(),
                "status": application.status,
                "submissions": application.submissions.count(),
                "outbox": {
                    row["status"]: row["n"]
                    for row in OutboxItem.objects.values("status").annotate(n=Count("id"))
                },
                "outbox_kinds_not_done": sorted(
                    OutboxItem.objects.exclude(status="done").values_list("kind", flat=True)
                ),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
