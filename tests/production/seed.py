"""The applicant's data, written into the topology's own database by `scripts/production manage
shell` (so with production's settings): reviewers, an open call, and an applicant whose draft
lacks only the self-assessment, which the browser uploads. Prints one line of JSON."""

import json
import uuid

from applications.services.drafting import application_start
from tests.applications.conftest import complete_but_self_assessment
from tests.chaos.world import PASSWORD, World


def main() -> None:
    world = World(uuid.uuid4().hex[:6])
    world.reviewers(4)
    call = world.call("production")
    [user] = world.applicant_pool(1)
    institution = user.affiliations.get().institution
    application = application_start(
        call=call, institution=institution, user=user, tier_requested="full_member"
    )
    complete_but_self_assessment(application, user)
    print(
        json.dumps(
            {
                "email": user.email,
                "password": PASSWORD,
                "public_id": str(application.public_id),
                "call": call.title,
                "institution": institution.name,
            }
        )
    )
