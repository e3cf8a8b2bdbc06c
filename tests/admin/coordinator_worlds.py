"""Two networks, each with one row of every model its coordinators edit in the admin, and a
coordinator of the first: what the admin permission tests play against."""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from accounts.services import COORDINATOR_EDITS
from applications.models import ApplicantMessage, StatusChange
from audit.models import AuditEntry
from calls.models import (
    Call,
    CriteriaSection,
    CriteriaSet,
    Criterion,
    RequiredDocument,
    SuspensionPeriod,
)
from decisions.models import CallDecisionRules, Letter, LetterTemplate, RedressRequest
from networks.models import Network
from reviews.models import Assignment, ReviewerCapacity, ReviewerProfile, RoutingRun
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    CallFactory,
    CriteriaSectionFactory,
    CriteriaSetFactory,
    CriterionFactory,
    InstitutionFactory,
    RequiredDocumentFactory,
    ReviewerProfileFactory,
    UserFactory,
    staff_with_mfa,
)


@dataclass
class World:
    """One network's rows, one of each model its coordinators edit."""

    network: Network
    call: Call
    criteriaset: CriteriaSet
    criteriasection: CriteriaSection
    criterion: Criterion
    requireddocument: RequiredDocument
    suspensionperiod: SuspensionPeriod
    reviewerprofile: ReviewerProfile
    reviewercapacity: ReviewerCapacity
    assignment: Assignment
    routingrun: RoutingRun
    lettertemplate: LetterTemplate
    letter: Letter
    redressrequest: RedressRequest
    applicantmessage: ApplicantMessage
    calldecisionrules: CallDecisionRules

    def row(self, model_name: str):
        return getattr(self, model_name)


def network_world(slug: str, tag: str) -> World:
    network = Network.objects.get(slug=slug)
    criteria_set = CriteriaSetFactory(network=network, name=f"Criteria {tag}")
    section = CriteriaSectionFactory(criteria_set=criteria_set, title=f"Section {tag}")
    criterion = CriterionFactory(section=section, title=f"Criterion {tag}")
    call = CallFactory(network=network, title=f"Call {tag}", criteria_set=criteria_set)
    now = timezone.now()
    suspension = SuspensionPeriod.objects.create(
        call=call,
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now - datetime.timedelta(days=2),
        reason=f"Pause {tag}",
    )
    application = ApplicationFactory(
        call=call, institution=InstitutionFactory(name=f"Institution {tag}"), status="rejected"
    )
    reviewer = ReviewerProfileFactory(user=UserFactory(name=f"Reviewer {tag}"))
    reviewer.networks.add(network)
    decision = StatusChange.objects.create(
        application=application, from_status="in_review", to_status="rejected"
    )
    letter = Letter.objects.create(
        application=application,
        decision=decision,
        outcome="rejected",
        subject=f"Letter {tag}",
        body="We regret.",
    )
    return World(
        network=network,
        call=call,
        criteriaset=criteria_set,
        criteriasection=section,
        criterion=criterion,
        requireddocument=RequiredDocumentFactory(call=call, title=f"Document {tag}"),
        suspensionperiod=suspension,
        reviewerprofile=reviewer,
        reviewercapacity=ReviewerCapacity.objects.create(reviewer=reviewer, call=call, capacity=4),
        assignment=AssignmentFactory(application=application, reviewer=reviewer),
        routingrun=RoutingRun.objects.create(call=call, created_by=application.created_by),
        lettertemplate=LetterTemplate.objects.create(
            outcome="rejected", network=network, subject=f"Template {tag}", body="Dear {name}"
        ),
        letter=letter,
        calldecisionrules=CallDecisionRules.objects.create(call=call),
        redressrequest=RedressRequest.objects.create(
            application=application,
            letter=letter,
            reasons=f"Reasons {tag}",
            requested_by=application.created_by,
            requested_at=now,
        ),
        applicantmessage=ApplicantMessage.objects.create(
            call=call,
            subject=f"Message {tag}",
            body="Hold the date.",
            recipients=["someone@example.org"],
            recipient_count=1,
            sent_by=application.created_by,
            sent_at=now,
        ),
    )


def coordinator_of(*networks: Network):
    """A staff member in the coordinators' group, with a second factor, running `networks`."""
    coordinator = UserFactory(is_staff=True)
    coordinator.groups.add(Group.objects.get(name=roles.NETWORK_COORDINATORS))
    for network in networks:
        network.coordinators.add(coordinator)
    return staff_with_mfa(coordinator)


# Every model a coordinator edits, "app.model", as accounts.services gives them the permissions;
# assignments, which they only read, are played against all the same.
EDITED_MODELS = sorted(
    {f"{app}.{model}" for app, models in COORDINATOR_EDITS.items() for model in models}
    | {"reviews.assignment"}
)


def database_state() -> dict[str, list[dict]]:
    """Every row of every model above, and how many admin log and audit entries there are: a
    refused request leaves all of it as it was."""
    state = {
        label: list(apps.get_model(label).objects.order_by("pk").values())
        for label in EDITED_MODELS
    }
    state["reviewer networks"] = list(
        ReviewerProfile.networks.through.objects.order_by("pk").values()
    )
    state["log entries"] = [LogEntry.objects.count()]
    state["audit entries"] = [AuditEntry.objects.count()]
    return state
