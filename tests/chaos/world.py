"""The data each fault starts from, made through the portal's own services and the tests'
factories on the run's private database: reviewers with room, applicants with a verified email
address and a known password, complete draft applications, decided applications with their
letters waiting for release. Imported only once Django is set up on the private services.
"""

from __future__ import annotations

import itertools

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import close_old_connections

from accounts import roles
from accounts.enums import InstitutionRole
from accounts.models import Affiliation, User
from applications.enums import ApplicationStatus
from applications.models import Application
from applications.services.drafting import application_start
from applications.services.submission import application_submit
from decisions.enums import LetterStatus
from decisions.models import Letter, Proposal
from decisions.services.proposals import proposal_approve
from reviews.models import ReviewerProfile
from tests.applications.conftest import complete, open_call
from tests.chaos.rows import REVIEWER_CAPACITY
from tests.chaos.services import wait_for
from tests.factories import InstitutionFactory
from workflow.decision import application_decide

PASSWORD = "chaos-applicant-password-7491"


class World:
    """Applicants are kept from one fault to the next, each applying to every fault's own call
    with its own institution; a fault tells its emails apart by the call's title."""

    def __init__(self, run_id: str):
        self.run_id = run_id
        # One hash for everyone: the production hasher takes a third of a second per password.
        self.password_hash = make_password(PASSWORD)
        self.applicants: list[User] = []
        self._calls = itertools.count(1)
        self.coordinator = self._user(f"coordinator-{run_id}@chaos.example")
        self.board_member = self._user(f"board-{run_id}@chaos.example")
        self.board_member.groups.add(Group.objects.get_or_create(name=roles.DECISION_BOARD)[0])

    def _user(self, email: str) -> User:
        user = User.objects.create(email=email, name=email.split("@")[0].title())
        User.objects.filter(pk=user.pk).update(password=self.password_hash)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    def reviewers(self, count: int) -> None:
        """Reviewers from countries no applicant is in, with no institution: no conflicts."""
        for number in range(count):
            ReviewerProfile.objects.create(
                user=self._user(f"reviewer{number}-{self.run_id}@chaos.example"),
                country=("FR", "DE", "NL", "BE")[number % 4],
                languages=["en"],
                default_capacity=REVIEWER_CAPACITY,
            )

    def applicant_pool(self, count: int) -> list[User]:
        """The first `count` applicants, each the representative of a hospital of its own."""
        while len(self.applicants) < count:
            number = len(self.applicants)
            user = self._user(f"applicant{number}-{self.run_id}@chaos.example")
            institution = InstitutionFactory(name=f"Ospedale Chaos {number} {self.run_id}")
            Affiliation.objects.create(
                user=user, institution=institution, role=InstitutionRole.REPRESENTATIVE
            )
            self.applicants.append(user)
        return self.applicants[:count]

    def call(self, label: str, reviews_per_application: int = 2):
        number = next(self._calls)
        call = open_call(
            title=f"Chaos {number} {label} {self.run_id}",
            slug=f"chaos-{number}-{self.run_id}",
            reviews_per_application=reviews_per_application,
        )
        call.network.coordinators.add(self.coordinator)
        return call

    def drafts(self, call, count: int) -> list[tuple[User, Application]]:
        """`count` applicants, each with a complete draft application to `call`."""
        pairs = []
        for user in self.applicant_pool(count):
            institution = user.affiliations.get().institution
            application = application_start(
                call=call, institution=institution, user=user, tier_requested="full_member"
            )
            pairs.append((user, complete(application, user)))
        return pairs

    def letters_in_draft(self, call, count: int, seconds: float) -> list[Letter]:
        """`count` applications submitted (through the service), routed by the workers, decided
        (accepted and rejected in turn), each with its letter drafted and not released."""
        pairs = self.drafts(call, count)
        for user, application in pairs:
            application_submit(application=application, user=user)
        ids = [application.pk for _user, application in pairs]

        def routed() -> bool:
            close_old_connections()
            return not Application.objects.filter(
                pk__in=ids, status=ApplicationStatus.SUBMITTED
            ).exists()

        if wait_for(routed, seconds, step=0.25) is None:
            raise RuntimeError(f"the workers did not route the {count} letters' applications")
        for number, application in enumerate(Application.objects.filter(pk__in=ids)):
            application_decide(
                application=application,
                user=self.coordinator,
                outcome=ApplicationStatus.ACCEPTED if number % 2 else ApplicationStatus.REJECTED,
                reason="Decided for the fault suite.",
                override=True,
                override_reason="The fault suite decides before the reviews are in.",
            )
            # The decision board approves it, so that its letter can be released.
            proposal_approve(
                proposal=Proposal.objects.get(application=application, status="proposed"),
                user=self.board_member,
            )
        return list(
            Letter.objects.filter(application__in=ids, status=LetterStatus.DRAFT).select_related(
                "application"
            )
        )
