"""The applicant's data, written into the topology's own database by `scripts/production manage
shell` (so with production's settings): reviewers, an open call, and an applicant whose draft
lacks only the self-assessment, which the browser uploads. Prints one line of JSON."""

import datetime
import json
import uuid

from applications.enums import DeclarationKind, DocumentPurpose
from applications.services.drafting import (
    answers_save,
    application_start,
    declaration_save,
    document_upload,
    endorsement_save,
)
from calls.enums import AnswerType
from tests.applications.conftest import answers_for, pdf_upload
from tests.chaos.world import PASSWORD, World


def draft_without_self_assessment(application, user):
    """What `tests.applications.conftest.complete` fills in, but the required self-assessment."""
    call = application.call
    answers_save(application=application, user=user, values=answers_for(call), loaded_revisions={})
    chart = next(
        criterion
        for section in call.criteria_set.sections.all()
        for criterion in section.criteria.all()
        if criterion.answer_type == AnswerType.FILE
    )
    document_upload(
        application=application,
        user=user,
        uploaded=pdf_upload("chart.pdf"),
        purpose=DocumentPurpose.ANSWER,
        criterion=chart,
    )
    endorsement_save(
        application=application,
        user=user,
        issuing_authority="Ministero della Salute",
        issued_on=datetime.date(2026, 10, 1),
        letter=pdf_upload("endorsement.pdf"),
    )
    for kind in DeclarationKind:
        declaration_save(
            application=application,
            user=user,
            kind=kind,
            full_name="Anna Rossi",
            position="Director" if kind == DeclarationKind.DIRECTOR else "Head of unit",
            signed_on=datetime.date(2026, 11, 1),
            confirmed=True,
        )


def main() -> None:
    world = World(uuid.uuid4().hex[:6])
    world.reviewers(4)
    call = world.call("production")
    [user] = world.applicant_pool(1)
    institution = user.affiliations.get().institution
    application = application_start(
        call=call, institution=institution, user=user, tier_requested="full_member"
    )
    draft_without_self_assessment(application, user)
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
