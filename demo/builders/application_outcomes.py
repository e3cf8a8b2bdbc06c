"""Reviews, decisions and letters of the demo applications, through the services."""

import datetime

from django.core.exceptions import ValidationError
from django.test.utils import override_settings

from decisions.enums import LetterStatus, ProposalStatus
from decisions.models import Letter, Opinion, Proposal
from decisions.services.letters import letter_body_on_release
from decisions.services.opinions import opinion_give
from decisions.services.proposals import proposal_approve

# The accounts builder keeps the one rule for which institution the demo applicant represents.
from demo.builders.accounts import DEMO_EMAIL_DOMAIN
from demo.builders.application_plan import (
    DAY,
    DECISION_REASONS,
    IN_MEMORY_EMAIL,
    REVIEW_COMMENTS,
    Plan,
    S,
    instant_after,
)
from networks.enums import MembershipTier
from networks.models import Membership, Network
from networks.services import membership_grant_problems
from outbox.relay import outbox_deliver
from reviews.enums import AssignmentSource, AssignmentStatus, Recommendation, ReviewStatus
from reviews.models import Assignment, Review, ReviewerProfile, Score
from reviews.scoring import weighted_score
from workflow.decision import application_decide, decision_release


def reviewer_pools(networks: list[Network]) -> dict[int, list[ReviewerProfile]]:
    """The demo reviewer pool of each network (the demo reviewer account is not among them)."""
    pools = {network.pk: [] for network in networks}
    profiles = ReviewerProfile.objects.filter(
        is_active=True, user__email__regex=rf"^reviewer[0-9]+@{DEMO_EMAIL_DOMAIN}$"
    ).order_by("user__email")
    for profile in profiles.select_related("institution").prefetch_related("networks"):
        for network in profile.networks.all():
            pools.setdefault(network.pk, []).append(profile)
    return pools


def reviews_create(plan: Plan, *, now, reviewers, load, criteria) -> None:
    """Assign reviewers free of conflict, as routing would. On a decided application every
    review is in; in an open call some reviewers have not replied or are still scoring."""
    rng, call, inst = plan.rng, plan.call, plan.institution
    routed = plan.times[-1]
    free = [
        reviewer
        for reviewer in reviewers
        if load.get(reviewer.pk, 0) < reviewer.default_capacity
        and inst.pk not in (reviewer.institution_id, getattr(reviewer.institution, "parent_id", 0))
    ]
    chosen = rng.sample(free, min(len(free), call.reviews_per_application))
    decided = plan.fate == "decided"
    # Some applications split their reviewers: one reads it far more or less kindly.
    split = len(chosen) > 1 and rng.random() < 0.2
    plan.reviewed_at = routed
    reviews, scores = [], []
    for index, reviewer in enumerate(chosen):
        load[reviewer.pk] = load.get(reviewer.pk, 0) + 1
        if decided:
            responded = routed + DAY * rng.uniform(0.1, 3)
            reviewed = responded + DAY * rng.uniform(3, 17)
        else:  # squeezed into the time the open call has had so far
            responded = routed + (now - routed) * rng.uniform(0.05, 0.3)
            reviewed = responded + (now - responded) * rng.uniform(0.2, 0.95)
        accepted = decided or rng.random() < 0.85
        done = accepted and (decided or rng.random() < 0.7)
        assignment = Assignment(
            application=plan.application,
            reviewer=reviewer,
            source=AssignmentSource.ROUTER,
            affinity=round(rng.uniform(0.3, 0.9), 3),
            status=AssignmentStatus.ACCEPTED if accepted else AssignmentStatus.PROPOSED,
            responded_at=responded if accepted else None,
            no_conflict_declared_at=responded if accepted else None,
            due_at=call.reviews_due_at or routed + DAY * call.review_days,
        )
        plan.assignments.append(assignment)
        if not done and not (accepted and rng.random() < 0.5):
            continue  # not replied yet, or not started
        quality = plan.quality + rng.gauss(0, 0.08)
        if split and index == len(chosen) - 1:
            quality += -0.45 if plan.quality > 0.5 else 0.45
        values = {
            criterion.pk: criterion.score_min
            + round(
                (criterion.score_max - criterion.score_min)
                * min(1.0, max(0.0, quality + rng.gauss(0, 0.12)))
            )
            for criterion in criteria
            if done or rng.random() < 0.5
        }
        score = weighted_score(values, criteria)
        recommendation = ""
        if done:
            recommendation = (
                Recommendation.FAVOURABLE
                if score >= 65
                else Recommendation.FAVOURABLE_WITH_RESERVATIONS
                if score >= 45
                else Recommendation.UNFAVOURABLE
            )
            plan.scores.append(score)
            plan.reviewed_at = max(plan.reviewed_at, reviewed)
        review = Review(
            assignment=assignment,
            status=ReviewStatus.SUBMITTED if done else ReviewStatus.DRAFT,
            comments=REVIEW_COMMENTS.get(recommendation, ""),
            recommendation=recommendation,
            submitted_at=reviewed if done else None,
            score=score,
        )
        reviews.append(review)
        scores += [Score(review=review, criterion_id=pk, value=v) for pk, v in values.items()]
    Assignment.objects.bulk_create(plan.assignments)
    for assignment in plan.assignments:
        assignment.assigned_at = routed  # set on creation to now; updated with the others
    Review.objects.bulk_create(reviews)
    Score.objects.bulk_create(scores)


def decide(plans: list[Plan], coordinator, *, now, recent: bool) -> None:
    """Rank the call's reviewed applications by mean score and decide through the service: the
    best accepted, the next waitlisted, the rest rejected."""
    reviewed = [plan for plan in plans if plan.fate == "decided"]
    reviewed.sort(key=lambda plan: -sum(plan.scores) / max(1, len(plan.scores)))
    for rank, plan in enumerate(reviewed):
        if plan.outcome is None:
            share = rank / len(reviewed)
            plan.outcome = (
                S.ACCEPTED if share < 0.35 else S.WAITLISTED if share < 0.55 else S.REJECTED
            )
        network, inst = plan.call.network, plan.institution
        tier = plan.application.tier_requested
        if plan.outcome == S.ACCEPTED and membership_grant_problems(
            institution=inst, network=network, tier=tier
        ):
            plan.outcome = S.WAITLISTED
        if recent:
            at = now - DAY * plan.rng.uniform(2, 9)
        else:
            after = max(plan.reviewed_at, plan.call.deadline)
            at = min(after + DAY * plan.rng.uniform(20, 45), now - 20 * DAY)
        if recent and plan.rng.random() < 0.6:
            _opinion_give(plan, coordinator, at=at)
        application_decide(
            application=plan.application,
            user=coordinator,
            outcome=plan.outcome,
            reason=DECISION_REASONS[plan.outcome],
            # Some reviewers never sent theirs: the network's board decided without them.
            override=True,
            override_reason="The board met with the reviews that were in.",
        )
        plan.times.append(at)


def _opinion_give(plan: Plan, coordinator, *, at) -> None:
    """The network's opinion on a demo application, the day before its decision."""
    favourable = plan.outcome == S.ACCEPTED or plan.rng.random() < 0.3
    opinion = opinion_give(
        application=plan.application,
        user=coordinator,
        favourable=favourable,
        reasons="Strong volumes and a multidisciplinary team."
        if favourable
        else "The service is too small for the network's needs yet.",
    )
    Opinion.objects.filter(pk=opinion.pk).update(given_at=at - DAY)


def _release(letter: Letter, coordinator, board_member, released) -> None:
    """The board approves the decision, and the coordinator releases its letter; an acceptance's
    membership (and the end of the affiliated partners it replaces) is dated from the release."""
    application = letter.application
    network, inst = application.call.network, application.institution
    ending = []
    if letter.outcome == S.ACCEPTED and application.tier_requested == MembershipTier.FULL_MEMBER:
        ending = list(
            Membership.objects.current()
            .filter(
                network=network,
                institution__country=inst.country.code,
                tier=MembershipTier.AFFILIATED_PARTNER,
            )
            .values_list("pk", "since")
        )
    proposal = Proposal.objects.get(decision=letter.decision_id)
    if proposal.status == ProposalStatus.PROPOSED:
        proposal_approve(proposal=proposal, user=board_member)
    Proposal.objects.filter(pk=proposal.pk).update(board_at=released - DAY / 2)
    decision_release(letter=letter, user=coordinator)
    if letter.outcome == S.ACCEPTED:
        Membership.objects.filter(network=network, institution=inst, until=None).update(
            since=released.date()
        )
        for pk, since in ending:
            Membership.objects.filter(pk=pk).update(until=max(since, released.date()))


def letters_release(plans, coordinators, *, now, held: Network, applicant, board_member) -> None:
    """The board approves the decisions of the closed calls and their letters are released and
    sent, through the services; those of the network `held` wait: every other one approved
    with its letter in the outbox, the others still waiting for the board with the network's
    opinion on some; the demo applicant's own is released."""
    by_application = {plan.application.pk: plan for plan in plans if plan.outcome}
    letters = Letter.objects.filter(application__in=by_application).select_related(
        "application__call"
    )
    changed = []
    with override_settings(EMAIL_BACKEND=IN_MEMORY_EMAIL):
        for letter in letters:
            plan = by_application[letter.application_id]
            decided = plan.times[-1]
            letter.created_at = decided
            changed.append(letter)
            coordinator = coordinators[plan.call.network_id]
            if plan.call.network_id == held.pk and plan.representative != applicant:
                if plan.rng.random() < 0.4:
                    proposal = Proposal.objects.get(decision=letter.decision_id)
                    proposal_approve(proposal=proposal, user=board_member)
                continue
            released = instant_after(plan.rng, decided, now, 1, 6)
            draft_body = letter.body
            try:
                _release(letter, coordinator, board_member, released)
            except ValidationError:
                continue  # accepted twice from one country: the rule refuses the second
            # Sent here and now, as a worker would after the commit.
            for recipient in letter.recipients:
                outbox_deliver(key=f"email:decision_letter:{letter.pk}:{recipient}")
            letter.refresh_from_db(fields=["status"])
            if letter.status == LetterStatus.SENT:
                letter.sent_at = released + datetime.timedelta(minutes=1)
            # The redress period runs from the release as shown, not from the seeding.
            letter.body = draft_body
            letter.body = letter_body_on_release(letter, released_at=released)
            letter.released_at = released
    Letter.objects.bulk_update(changed, ["created_at", "released_at", "sent_at", "body"])
