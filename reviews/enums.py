from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting the reviewer's reply")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # The application was reopened by its applicant: the assignment waits for the new version.
    PAUSED = "paused", _("Paused while the application is reopened")


# Assignments that hold a reviewer's capacity and count towards an application's reviews.
ACTIVE_ASSIGNMENT = (AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED)
# Assignments that keep the reviewer's place in the call: a paused one keeps it reserved, so
# the reviewer can take the new version when the application is submitted again.
PLACE_HELD = (*ACTIVE_ASSIGNMENT, AssignmentStatus.PAUSED)
# Assignments the portal ends when the application is withdrawn or ruled ineligible.
OPEN_ASSIGNMENT = PLACE_HELD


class AssignmentActor(models.TextChoices):
    """On whose behalf an assignment changes; its transition table allows each by actor."""

    REVIEWER = "reviewer", _("Reviewer")
    COORDINATOR = "coordinator", _("Coordinator")
    # Routing, and the withdrawal of open assignments when the application leaves review.
    SYSTEM = "system", _("The portal")


class AssignmentSource(models.TextChoices):
    ROUTER = "router", _("Routed on submission")
    BATCH = "batch", _("Batch assignment")
    COORDINATOR = "coordinator", _("Chosen by a coordinator")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Recommendation(models.TextChoices):
    FAVOURABLE = "favourable", _("Favourable")
    FAVOURABLE_WITH_RESERVATIONS = "reservations", _("Favourable, with reservations")
    UNFAVOURABLE = "unfavourable", _("Unfavourable")


class RoutingRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    PREVIEW = "preview", _("Preview ready")
    APPLIED = "applied", _("Applied")
    DISCARDED = "discarded", _("Discarded")
    FAILED = "failed", _("Failed")


# Languages a reviewer may read applications in: the EU's official languages.
EU_LANGUAGES = [
    ("bg", "Български"), ("cs", "Čeština"), ("da", "Dansk"), ("de", "Deutsch"),
    ("el", "Ελληνικά"), ("en", "English"), ("es", "Español"), ("et", "Eesti"),
    ("fi", "Suomi"), ("fr", "Français"), ("ga", "Gaeilge"), ("hr", "Hrvatski"),
    ("hu", "Magyar"), ("it", "Italiano"), ("lt", "Lietuvių"), ("lv", "Latviešu"),
    ("mt", "Malti"), ("nl", "Nederlands"), ("pl", "Polski"), ("pt", "Português"),
    ("ro", "Română"), ("sk", "Slovenčina"), ("sl", "Slovenščina"), ("sv", "Svenska"),
]  # fmt: skip
