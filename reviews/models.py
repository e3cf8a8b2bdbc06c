import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from applications.models import Application
from calls.fields import ChoiceListField
from calls.models import Call, Criterion
from networks.models import Institution, Network, Topic
from reviews.enums import (
    EU_LANGUAGES,
    AssignmentSource,
    AssignmentStatus,
    Recommendation,
    ReviewStatus,
    RoutingRunStatus,
)


class ReviewerProfile(models.Model):
    """A person who assesses applications: expertise, languages, ties, and how much they take on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reviewer_profile",
    )
    networks = models.ManyToManyField(
        Network, verbose_name=_("networks"), blank=True, related_name="reviewers"
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("expertise"), blank=True, related_name="reviewers"
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    languages = ChoiceListField(_("languages"), item_choices=EU_LANGUAGES)
    country = CountryField(_("country"))
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewers",
        help_text=_("Where the reviewer works: its applications, and its group's, are conflicts."),
    )
    default_capacity = models.PositiveSmallIntegerField(
        _("reviews per call"),
        default=10,
        help_text=_("How many applications of one call the reviewer takes, unless set per call."),
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        ordering = ["user__email"]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "reviews"
        person = ("user",)
        erase = ("keywords", "is_active")
        keep = ("languages", "country", "institution")

    def __str__(self):
        return str(self.user)


class ReviewerCapacity(models.Model):
    """How many applications of one call a reviewer takes, when it differs from their default."""

    reviewer = models.ForeignKey(
        ReviewerProfile, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="+"
    )
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="+"
    )
    capacity = models.PositiveSmallIntegerField(_("reviews in this call"))

    class Meta:
        verbose_name = _("capacity in a call")
        verbose_name_plural = _("capacities in calls")
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "call"], name="capacity_once_per_call")
        ]

    def __str__(self):
        return f"{self.reviewer} – {self.call}: {self.capacity}"


class ConflictDeclaration(models.Model):
    """A conflict of interest a reviewer declares with an institution (and so its units)."""

    reviewer = models.ForeignKey(
        ReviewerProfile,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="declared_conflicts",
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "institution"], name="conflict_once_per_institution"
            )
        ]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "reviews"
        person = ("reviewer__user",)
        keep = ("institution", "reason")

    def __str__(self):
        return f"{self.reviewer} × {self.institution}"


class Assignment(models.Model):
    """A reviewer asked to assess an application. One per pair, whatever happens to it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    reviewer = models.ForeignKey(
        ReviewerProfile,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.PROPOSED,
    )
    source = models.CharField(_("assigned by"), max_length=20, choices=AssignmentSource.choices)
    affinity = models.FloatField(_("expertise match"), default=0)
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    responded_at = models.DateTimeField(_("replied"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    no_conflict_declared_at = models.DateTimeField(
        _("declared no conflict of interest"), null=True, blank=True
    )
    due_at = models.DateTimeField(_("review due"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-assigned_at"]
        constraints = [
            # A task that runs twice makes no second assignment.
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="assignment_once_per_reviewer"
            ),
            models.CheckConstraint(
                condition=~Q(status=AssignmentStatus.ACCEPTED)
                | Q(no_conflict_declared_at__isnull=False),
                name="assignment_accepted_after_declaring_no_conflict",
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "status"])]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "reviews"
        person = ("reviewer__user",)
        erase = ("decline_reason",)
        keep = ("status", "assigned_at")

    def __str__(self):
        return f"{self.reviewer} → {self.application}"

    def get_absolute_url(self):
        return reverse("reviews:assignment", kwargs={"public_id": self.public_id})


class Review(models.Model):
    """A reviewer's assessment of an application: a score per criterion, comments, an opinion."""

    assignment = models.OneToOneField(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="review"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    comments = models.TextField(_("comments"), blank=True)
    recommendation = models.CharField(
        _("overall recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    score = models.FloatField(
        _("weighted score"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Out of 100, the criteria weighted; kept so that lists can sort and filter."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.SUBMITTED)
                | (Q(submitted_at__isnull=False) & ~Q(recommendation="")),
                name="review_submitted_with_a_recommendation",
            )
        ]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "reviews"
        person = ("assignment__reviewer__user",)
        scrub = ("comments",)
        keep = ("recommendation", "score")

    def __str__(self):
        return f"{self.assignment} ({self.get_status_display()})"


class Score(models.Model):
    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.SmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"


class ConsensusNote(models.Model):
    """The lead reviewer's summary of where the reviewers agree and differ."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="consensus_note",
    )
    author = models.ForeignKey(
        ReviewerProfile, verbose_name=_("lead reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("consensus"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("consensus note")
        verbose_name_plural = _("consensus notes")

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "reviews"
        person = ("author__user",)
        scrub = ("text",)

    def __str__(self):
        return f"{self.application} – {self.author}"


class RoutingEvent(models.Model):
    """What routing did for an application and, when it fell short, why: the routing history."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="routing_events",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    message = models.TextField(_("what happened"))

    class Meta:
        verbose_name = _("routing event")
        verbose_name_plural = _("routing history")
        ordering = ["application", "at", "pk"]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "reviews"
        scrub = ("message",)

    def __str__(self):
        return self.message


class RoutingRun(models.Model):
    """A batch assignment of a whole call, computed in the background, previewed, then applied."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="routing_runs"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RoutingRunStatus.choices,
        default=RoutingRunStatus.QUEUED,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_message = models.CharField(_("step"), max_length=200, blank=True)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("computed"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("batch assignment")
        verbose_name_plural = _("batch assignments")
        ordering = ["-created_at"]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "reviews"
        person = ("created_by",)
        scrub = ("preview", "progress_message", "error")

    def __str__(self):
        return f"{self.call} – {self.get_status_display()} ({self.created_at:%Y-%m-%d %H:%M} UTC)"
