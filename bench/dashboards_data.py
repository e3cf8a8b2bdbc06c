"""The dashboards benchmark's data: 100,000 applications shaped like a wave of calls, written in
bulk (bench/dashboards.py runs it once Django is set up on the throwaway database)."""


def fill(applications: int, seed: int) -> dict:
    """Bulk data: 20 calls over the 7 networks, institutions heavy-tailed by country."""
    import datetime
    import random

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts import roles
    from accounts.models import User
    from applications.models import Application, StatusChange
    from calls.models import Call, CriteriaSection, CriteriaSet, Criterion
    from networks.country_groups import ASSOCIATED_COUNTRIES, EEA_COUNTRIES, EU_MEMBER_STATES
    from networks.enums import InstitutionType
    from networks.models import Institution, Membership, Network
    from reviews.models import Assignment, Review, ReviewerProfile, Score
    from reviews.scoring import weighted_score

    rng = random.Random(seed)
    now = timezone.now()
    batch = 5000
    countries = sorted(EU_MEMBER_STATES | EEA_COUNTRIES | ASSOCIATED_COUNTRIES)
    # Italy, Germany and Spain first, as in the 2019 ERN intake; a long tail behind them.
    countries = ["IT", "DE", "ES"] + [c for c in countries if c not in ("IT", "DE", "ES")]
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(countries))]
    types_ = list(InstitutionType.values)
    networks = list(Network.objects.order_by("work_package__number"))
    criteria_set = CriteriaSet.objects.create(name="Bench criteria")
    section = CriteriaSection.objects.create(criteria_set=criteria_set, title="Scored")
    criteria = [
        Criterion.objects.create(
            section=section, code=f"S.{i}", title=f"Scored {i}", answer_type="text",
            score_min=0, score_max=5, weight=i,
        )
        for i in (1, 2, 3)
    ]  # fmt: skip
    calls = [
        Call.objects.create(
            network=networks[i % len(networks)],
            title=f"Bench call {i}",
            slug=f"bench-call-{i}",
            summary="Bench",
            is_published=True,
            opens_at=now - datetime.timedelta(days=90),
            closes_at=now - datetime.timedelta(days=30 - i),
            criteria_set=criteria_set,
        )
        for i in range(20)
    ]
    per_call = -(-applications // len(calls))
    institutions = Institution.objects.bulk_create(
        [
            Institution(
                name=f"Bench institution {i}",
                country=rng.choices(countries, weights)[0],
                type=rng.choice(types_),
            )
            for i in range(per_call)
        ],
        batch_size=batch,
    )
    creator = User.objects.create_user(email="bench-creator@example.org", password=None)
    statuses = (
        ["draft"] * 10 + ["submitted"] * 8 + ["eligible"] * 6 + ["in_review"] * 12
        + ["accepted"] * 6 + ["rejected"] * 3 + ["waitlisted"] * 2 + ["referred"]
        + ["ineligible"] + ["withdrawn"]
    )  # fmt: skip
    rows = []
    for n in range(applications):
        call = calls[n % len(calls)]
        status = rng.choice(statuses)
        submitted = None
        if status != "draft":
            # A spike of submissions in the last days before the deadline.
            hours = rng.expovariate(1 / 60)
            submitted = call.closes_at - datetime.timedelta(hours=min(hours, 24 * 55))
        rows.append(
            Application(
                call=call,
                institution=institutions[n // len(calls)],
                tier_requested="full_member",
                created_by=creator,
                status=status,
                submitted_at=submitted,
            )
        )
    created = Application.objects.bulk_create(rows, batch_size=batch)
    Application.objects.update(created_at=now - datetime.timedelta(days=60))
    path = {
        "submitted": ["submitted"],
        "eligible": ["submitted", "eligible"],
        "ineligible": ["submitted", "ineligible"],
        "in_review": ["submitted", "eligible", "in_review"],
        "withdrawn": ["submitted", "withdrawn"],
    }
    for decided in ("accepted", "rejected", "waitlisted", "referred"):
        path[decided] = ["submitted", "eligible", "in_review", decided]
    changes = []
    for application in created:
        previous, at = "draft", application.submitted_at
        for step in path.get(application.status, []):
            changes.append(
                StatusChange(application=application, from_status=previous, to_status=step, at=at)
            )
            previous, at = step, at + datetime.timedelta(days=rng.uniform(1, 12))
    StatusChange.objects.bulk_create(changes, batch_size=batch)
    reviewer_users = User.objects.bulk_create(
        [User(email=f"bench-reviewer-{i}@example.org", name=f"R{i}") for i in range(600)]
    )
    reviewers = ReviewerProfile.objects.bulk_create(
        [ReviewerProfile(user=user, country="FR", languages=["en"]) for user in reviewer_users]
    )
    Pool = ReviewerProfile.networks.through
    Pool.objects.bulk_create(
        [
            Pool(reviewerprofile=reviewer, network=networks[i % len(networks)])
            for i, reviewer in enumerate(reviewers)
        ]
    )
    reviewed = [a for a in created if a.status in path and "in_review" in path[a.status]]
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                application=application,
                reviewer=reviewers[(i * 7 + k) % len(reviewers)],
                status="accepted",
                source="router",
                no_conflict_declared_at=now,
                due_at=now + datetime.timedelta(days=rng.randint(-5, 20)),
            )
            for i, application in enumerate(reviewed)
            for k in range(3)
        ],
        batch_size=batch,
    )
    reviewed_assignments = [a for a in assignments if rng.random() < 0.7]
    values = [{c.pk: rng.randint(0, 5) for c in criteria} for _ in reviewed_assignments]
    reviews = Review.objects.bulk_create(
        [
            Review(
                assignment=assignment, status="submitted", recommendation="favourable",
                submitted_at=now, score=weighted_score(given, criteria),
            )
            for assignment, given in zip(reviewed_assignments, values, strict=True)
        ],
        batch_size=batch,
    )  # fmt: skip
    Score.objects.bulk_create(
        [
            Score(review=review, criterion_id=criterion_id, value=value)
            for review, given in zip(reviews, values, strict=True)
            for criterion_id, value in given.items()
        ],
        batch_size=batch,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                institution=institution, network=networks[i % len(networks)],
                tier="full_member", since=datetime.date(2025, 1, 1),
            )
            for i, institution in enumerate(institutions[:350])
        ]
    )  # fmt: skip
    observer = User.objects.create_user(email="bench-observer@example.org", password=None)
    observer.groups.add(Group.objects.get(name=roles.EC_OBSERVERS))
    # Observers must have two-factor authentication set up before any page opens to them.
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(observer, generate_totp_secret())
    return {
        "observer": observer,
        "network": networks[0],
        "call": calls[0],
        "applications": len(created),
        "changes": len(changes),
        "assignments": len(assignments),
        "reviews": len(reviews),
    }
