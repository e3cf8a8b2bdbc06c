"""Demo applications in every state: each network's closed call decided, its open call in review.

State changes and decisions go through the services, so the history, the audit trail, the
memberships and the letters are what the portal would have made. Documents are left out (they
would need files). The services stamp everything with the time they run, so the times are set
afterwards, spread over each call's window: submissions gather towards the deadline, reviews
follow routing, decisions follow the reviews.
"""

import datetime
import random
from collections import Counter

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts import roles
from accounts.enums import InstitutionRole
from accounts.models import Affiliation
from applications.enums import Actor, DeclarationKind
from applications.models import (
    Answer,
    Application,
    Declaration,
    Endorsement,
    StatusChange,
    Submission,
)
from applications.services.submission import content_checksum, submission_content
from calls.enums import AnswerType, CallStatus
from calls.models import Call, Criterion
from calls.services import call_eligibility, criteria_set_lock

# The accounts builder keeps the one rule for which institution the demo applicant represents.
from demo.builders.accounts import applicant_institution
from demo.builders.application_outcomes import (
    decide,
    letters_release,
    reviewer_pools,
    reviews_create,
)
from demo.builders.application_people import (
    coordinators_ensure,
    demo_user,
    person_name,
    representatives_ensure,
)
from demo.builders.application_plan import (
    DAY,
    INELIGIBLE_REASON,
    KEYWORDS,
    TEXT_ANSWERS,
    TIER_BY_TYPE,
    WITHDRAWN_REASON,
    Plan,
    S,
    instant_after,
    status_move,
)
from networks.models import Institution, Membership, Topic
from reviews.models import Assignment


def applications_create(*, seed: int, calls: list[Call], now: datetime.datetime) -> int:
    """Create the demo applications to the closed and open calls; return how many.

    Needs the demo institutions, memberships and reviewers. Makes the demo applicant's user and
    the networks' coordinators too, since applications and decisions need them; the accounts
    builder later gives the demo accounts their passwords and roles.
    """
    User = get_user_model()
    networks = sorted({call.network for call in calls}, key=lambda n: n.work_package.number)
    coordinators = coordinators_ensure(networks)
    applicant = demo_user(User, "applicant", "Demo applicant")
    home = applicant_institution()
    if home is not None:
        Affiliation.objects.get_or_create(
            user=applicant, institution=home, defaults={"role": InstitutionRole.REPRESENTATIVE}
        )
    institutions = list(Institution.objects.filter(parent=None).order_by("name"))
    members = set(Membership.objects.current().values_list("network_id", "institution_id"))
    calls_by_network = {
        network.pk: {call.status: call for call in calls if call.network_id == network.pk}
        for network in networks
    }
    home_calls = _home_calls(home, networks, calls_by_network, members)
    plans = []
    for network in networks:
        rng = random.Random(f"{seed}-applications-{network.slug}")
        closed = calls_by_network[network.pk][CallStatus.CLOSED]
        open_ = calls_by_network[network.pk][CallStatus.OPEN]
        pool = [
            inst
            for inst in institutions
            if inst != home
            and (network.pk, inst.pk) not in members
            and all(
                _tier(inst, call) and call_eligibility(call=call, institution=inst)
                for call in (closed, open_)
            )
        ]
        n_closed, n_open = rng.randint(16, 20), rng.randint(14, 18)
        chosen = rng.sample(pool, min(len(pool), n_closed + n_open))
        fates = ["draft"] * 2 + ["withdrawn"] + ["ineligible"] * 2
        plans += _plans(rng, closed, chosen[:n_closed], fates + ["decided"] * n_closed)
        fates = ["draft"] * (n_open // 4) + ["ineligible", "eligible"]
        fates += ["submitted"] * 2 + ["in_review"] * n_open
        plans += _plans(rng, open_, chosen[n_closed:], fates)
        for call in (open_, closed):
            if call in home_calls:
                plan = Plan(call, home, home_calls[call], 0.85, random.Random(rng.random()))
                plan.outcome = S.ACCEPTED if plan.fate == "decided" else None
                plan.representative = applicant
                plans.append(plan)

    representatives_ensure(User, plans)
    _drafts_create(plans, now=now)
    reviewers = reviewer_pools(networks)
    for call in calls:
        call_plans = [plan for plan in plans if plan.call == call]
        if not call_plans:
            continue
        criteria = [
            criterion
            for criterion in Criterion.objects.filter(section__criteria_set=call.criteria_set_id)
            if criterion.is_scored
        ]
        load: dict[int, int] = {}
        for plan in call_plans:
            _progress(plan, now=now, coordinator=coordinators[call.network_id])
            if plan.fate in ("in_review", "decided"):
                reviews_create(
                    plan,
                    now=now,
                    reviewers=reviewers[call.network_id],
                    load=load,
                    criteria=criteria,
                )
        if any(plan.submitted_at for plan in call_plans):
            criteria_set_lock(criteria_set=call.criteria_set)
        if call.status == CallStatus.CLOSED:
            # The demo coordinator's board met last week: its letters wait in the outbox.
            recent = call.network_id == networks[0].pk
            decide(call_plans, coordinators[call.network_id], now=now, recent=recent)
    board_member = demo_user(User, "board", "Demo decision board member")
    board_member.groups.add(Group.objects.get_or_create(name=roles.DECISION_BOARD)[0])
    letters_release(
        plans,
        coordinators,
        now=now,
        held=networks[0],
        applicant=applicant,
        board_member=board_member,
    )
    _times_set(plans)
    return len(plans)


def _home_calls(home, networks, calls_by_network, members) -> dict[Call, str]:
    """The demo applicant's calls: a draft to the open call of the first network its institution
    may apply to, and a decided application to the closed call of the next one."""
    if home is None:
        return {}
    wanted = [(CallStatus.OPEN, "draft"), (CallStatus.CLOSED, "decided")]
    chosen = {}
    for network in networks:
        if not wanted or (network.pk, home.pk) in members:
            continue
        call = calls_by_network[network.pk][wanted[0][0]]
        if _tier(home, call) and call_eligibility(call=call, institution=home):
            chosen[call] = wanted.pop(0)[1]
    return chosen


def _plans(rng: random.Random, call: Call, institutions, fates: list[str]) -> list[Plan]:
    fates = fates[: len(institutions)]
    rng.shuffle(fates)
    return [
        Plan(call, inst, fate, rng.betavariate(3, 2), random.Random(rng.random()))
        for inst, fate in zip(institutions, fates, strict=True)
    ]


def _tier(institution: Institution, call: Call) -> str | None:
    tier = TIER_BY_TYPE[institution.type]
    return tier if tier in call.tiers_offered else None


def _open_before(call: Call, instant: datetime.datetime) -> datetime.datetime:
    """The instant, or the same time of an earlier day when the call was suspended then."""
    while not call.accepts_submissions_at(instant):
        instant -= DAY
    return instant


def _drafts_create(plans: list[Plan], *, now: datetime.datetime) -> None:
    """The applications as started, with their answers, topics, endorsement and declarations;
    and when each will be submitted, if it is."""
    criteria = {}
    for plan in plans:
        call, rng = plan.call, plan.rng
        limit = min(now, call.deadline) - datetime.timedelta(minutes=10)
        if call.status == CallStatus.CLOSED:
            # Most applications come in the last weeks before the deadline.
            started = call.opens_at + (limit - call.opens_at) * rng.betavariate(2.5, 1.5)
        else:
            started = call.opens_at + (limit - call.opens_at) * rng.uniform(0.02, 0.7)
        started = _open_before(call, started)
        if plan.fate in ("submitted", "eligible"):  # just in: not yet checked or routed
            submitted = now - datetime.timedelta(hours=rng.uniform(1, 20))
        else:
            submitted = instant_after(rng, started, limit, 2, 30)
        if plan.fate != "draft":
            plan.submitted_at = _open_before(call, min(submitted, limit))
            started = min(started, plan.submitted_at - DAY * rng.uniform(0.5, 3))
        plan.times.append(started)
        plan.application = Application(
            call=call,
            institution=plan.institution,
            tier_requested=_tier(plan.institution, call),
            representative=plan.representative,
            created_by=plan.representative,
            keywords=rng.sample(KEYWORDS, 2),
        )
        if call.criteria_set_id not in criteria:
            criteria[call.criteria_set_id] = list(
                Criterion.objects.filter(section__criteria_set=call.criteria_set_id)
                .exclude(answer_type=AnswerType.FILE)
                .order_by("section__position", "position", "pk")
            )
    Application.objects.bulk_create([plan.application for plan in plans])
    StatusChange.objects.bulk_create(
        StatusChange(
            application=plan.application,
            to_status=S.DRAFT,
            actor=plan.representative,
            at=plan.times[0],
        )
        for plan in plans
    )
    topics = list(Topic.objects.order_by("pk"))
    Application.topics.through.objects.bulk_create(
        Application.topics.through(application_id=plan.application.pk, topic_id=topic.pk)
        for plan in plans
        for topic in plan.rng.sample(topics, plan.rng.randint(1, 3))
    )
    answers, endorsements, declarations = [], [], []
    for plan in plans:
        rng, application = plan.rng, plan.application
        share = 1.0 if plan.fate != "draft" else rng.uniform(0.2, 0.8)
        answers += [
            Answer(
                application=application,
                criterion=criterion,
                value=_answer(criterion, plan),
                updated_by=plan.representative,
            )
            for criterion in criteria[plan.call.criteria_set_id]
            if rng.random() <= share
        ]
        if plan.fate == "draft":
            continue
        signed_on = plan.times[0].date()
        endorsements.append(
            Endorsement(
                application=application,
                issuing_authority=f"Ministry of Health, {plan.institution.country.name}",
                issued_on=signed_on - DAY * rng.randint(5, 40),
                updated_by=plan.representative,
            )
        )
        for kind, name, position in (
            (DeclarationKind.DIRECTOR, " ".join(person_name(rng)), "Director General"),
            (DeclarationKind.REPRESENTATIVE, plan.representative.name, "Head of department"),
        ):
            declarations.append(
                Declaration(
                    application=application,
                    kind=kind,
                    full_name=name,
                    position=position,
                    signed_on=signed_on,
                    confirmed=True,
                    confirmed_by=plan.representative,
                )
            )
    Answer.objects.bulk_create(answers)
    Endorsement.objects.bulk_create(endorsements)
    Declaration.objects.bulk_create(declarations)


def _answer(criterion: Criterion, plan: Plan):
    rng = plan.rng
    level = min(0.999, max(0.0, plan.quality + rng.gauss(0, 0.15)))
    if criterion.answer_type == AnswerType.MATURITY:
        return ("L1", "L2", "L3")[int(level * 3)]
    if criterion.answer_type == AnswerType.YES_NO:
        return "yes" if level > 0.3 else "no"
    if criterion.answer_type == AnswerType.NUMBER:
        return str(int(10 ** (1.5 + 2.5 * level)))
    if criterion.answer_type == AnswerType.CHOICE:
        return criterion.choices[int(level * len(criterion.choices))]
    return rng.choice(TEXT_ANSWERS).format(name=plan.institution.name, staff=rng.randint(6, 40))


def _progress(plan: Plan, *, now: datetime.datetime, coordinator) -> None:
    """Submit the application and take it as far as its fate, short of reviews and decision."""
    if plan.fate == "draft":
        return
    rng, application, submitted = plan.rng, plan.application, plan.submitted_at
    limit = min(now, plan.call.deadline)
    waiting = submitted if plan.fate == "submitted" else None
    status_move(
        plan,
        S.SUBMITTED,
        submitted,
        actor=plan.representative,
        kind=Actor.APPLICANT,
        extra={"submitted_at": submitted, "awaiting_routing_since": waiting},
    )
    content = submission_content(application)
    Submission.objects.create(
        application=application,
        number=1,
        submitted_at=submitted,
        submitted_by=plan.representative,
        content=content,
        checksum=content_checksum(content),
    )
    if plan.fate == "submitted":
        return
    eligible = submitted + datetime.timedelta(seconds=rng.randint(5, 90))
    # "eligible" applications found no free reviewer yet: routing, asked for with the submission,
    # tries again (on `make run` tasks run in-process, so they wait for a worker).
    waiting = eligible if plan.fate == "eligible" else None
    status_move(
        plan,
        S.ELIGIBLE,
        eligible,
        reason="The automatic eligibility check passed.",
        extra={"awaiting_routing_since": waiting},
    )
    if plan.fate == "withdrawn":
        status_move(
            plan,
            S.WITHDRAWN,
            instant_after(rng, eligible, limit, 1, 10),
            actor=plan.representative,
            kind=Actor.APPLICANT,
            reason=WITHDRAWN_REASON,
        )
    elif plan.fate == "ineligible":
        status_move(
            plan,
            S.INELIGIBLE,
            instant_after(rng, eligible, now, 2, 12),
            actor=coordinator,
            kind=Actor.COORDINATOR,
            reason=INELIGIBLE_REASON,
        )
    elif plan.fate in ("in_review", "decided"):
        routed = eligible + datetime.timedelta(minutes=rng.randint(1, 90))
        status_move(plan, S.IN_REVIEW, routed, reason="Reviewers assigned.")


def _times_set(plans: list[Plan]) -> None:
    """Give the status changes, applications and assignments the times planned for them."""
    by_application = {plan.application.pk: plan for plan in plans}
    changes = list(
        StatusChange.objects.filter(application__in=by_application)
        .order_by("application_id", "pk")
        .only("pk", "application_id")
    )
    made = Counter(change.application_id for change in changes)
    if any(made[pk] != len(plan.times) for pk, plan in by_application.items()):
        raise RuntimeError("A demo application has a status change with no planned time.")
    position: Counter[int] = Counter()
    for change in changes:
        change.at = by_application[change.application_id].times[position[change.application_id]]
        position[change.application_id] += 1
    StatusChange.objects.bulk_update(changes, ["at"], batch_size=500)
    for plan in plans:
        plan.application.created_at = plan.times[0]
        plan.application.updated_at = plan.times[-1]
    Application.objects.bulk_update(
        [plan.application for plan in plans], ["created_at", "updated_at"], batch_size=500
    )
    Assignment.objects.bulk_update(
        [assignment for plan in plans for assignment in plan.assignments],
        ["assigned_at"],
        batch_size=500,
    )
