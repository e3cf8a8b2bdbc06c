import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.enums import InstitutionRole


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person using the portal, identified by email; one full name, as people write it."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("full name"), max_length=200, blank=True)
    # The language of the emails the portal sends the person, whatever request queued them;
    # blank: not chosen (the emails then follow the language they were queued in).
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The emails the portal sends you are written in it."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "accounts"
        person = ("",)
        erase = ("name", "email", "preferred_language")
        keep = ("last_login", "date_joined")

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name or self.email


class Affiliation(models.Model):
    """A person acting for an institution in the portal, in one role."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="affiliations"
    )
    institution = models.ForeignKey(
        "networks.Institution",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    role = models.CharField(_("role"), max_length=20, choices=InstitutionRole.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["institution", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution"], name="affiliation_one_per_user_and_institution"
            )
        ]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "accounts"
        person = ("user",)
        keep = ("role", "created_at")

    def __str__(self):
        return f"{self.user} – {self.institution} ({self.get_role_display()})"


class Invitation(models.Model):
    """An invitation, sent by email, to act for an institution in a given role."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(
        "networks.Institution",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=InstitutionRole.choices)
    invited_by = models.ForeignKey(
        User, verbose_name=_("invited by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "institution",
                condition=Q(accepted_at__isnull=True),
                name="invitation_one_open_per_email_and_institution",
            )
        ]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "accounts"
        person = ("accepted_by",)
        scrub = ("email",)

    def __str__(self):
        return f"{self.email} → {self.institution}"


class JoinRequest(models.Model):
    """A person asking to act for an existing institution; its representative or deputy decides."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="join_requests"
    )
    institution = models.ForeignKey(
        "networks.Institution",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved = models.BooleanField(_("approved"), null=True)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution"],
                condition=Q(decided_at__isnull=True),
                name="join_request_one_open_per_user_and_institution",
            )
        ]

    class PersonalData:
        """Personal fields (erasure/declarations.py)."""

        activity = "accounts"
        person = ("user",)
        erase = ("message",)
        keep = ("created_at",)

    def __str__(self):
        return f"{self.user} → {self.institution}"
