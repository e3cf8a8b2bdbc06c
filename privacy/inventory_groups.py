"""The portal's own groups of personal data, one function per group of models (each registered in
the inventory, privacy/inventory.py, by its decorator when the app is ready).

A person's records are those that name them: as the account itself, by a link to their
account (or their reviewer's or endorser's profile), or by their email address (emails sent,
invitations, letters' recipients, audit entries' recorded actor).
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accessibility.models import AccessibilityFeedback
from accounts.models import Affiliation, Invitation, JoinRequest
from applications.enums import SCAN_ACCEPTED
from applications.models import (
    Answer,
    ApplicantMessage,
    Application,
    ApplicationDocument,
    DeadlineExtension,
    Declaration,
    Endorsement,
    InformationRequest,
    Receipt,
    StatusChange,
    Submission,
)
from audit.models import AuditEntry
from decisions.models import CallDecisionRules, Letter, Opinion, Proposal, RedressRequest
from endorsements.models import EndorsementChange, NationalEndorsement, NationalEndorser
from erasure.models import ErasureRequest
from networks.models import Network
from notifications.models import SentNotification
from privacy.inventory import email_q, json_list_has_email_q, personal_data_group, rows
from privacy.models import DataExport, NoticeAcceptance
from reviews.models import (
    Assignment,
    ConflictDeclaration,
    ConsensusNote,
    Review,
    ReviewerCapacity,
    ReviewerProfile,
    RoutingRun,
    Score,
)


@personal_data_group("account", _("Account"), models=("accounts.User",))
def _account(user):
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "preferred_language": user.preferred_language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "password_set": user.has_usable_password(),
    }


@personal_data_group(
    "emails",
    _("Email addresses"),
    models=("account.EmailAddress",),
    user_fields=("account.EmailAddress.user",),
)
def _emails_group(user):
    return rows(EmailAddress.objects.filter(user=user).order_by("pk"))


@personal_data_group(
    "roles",
    _("Roles"),
    models=(
        "auth.Group", "networks.Network", "decisions.CallDecisionRules",
        "reviews.ReviewerProfile", "reviews.ReviewerCapacity", "reviews.ConflictDeclaration",
        "endorsements.NationalEndorser",
    ),
    user_fields=(
        "accounts.User.groups", "networks.Network.coordinators",
        "decisions.CallDecisionRules.panel", "reviews.ReviewerProfile.user",
        "endorsements.NationalEndorser.user",
    ),
)  # fmt: skip
def _roles(user):
    profile = ReviewerProfile.objects.filter(user=user).first()
    endorser = NationalEndorser.objects.filter(user=user).first()
    return {
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "coordinated_networks": sorted(
            Network.objects.filter(coordinators=user).values_list("name", flat=True)
        ),
        "opinion_panels": list(
            CallDecisionRules.objects.filter(panel=user).values_list("call__title", flat=True)
        ),
        "reviewer_profile": (
            rows(ReviewerProfile.objects.filter(pk=profile.pk), extra=_profile_links)[0]
            if profile
            else None
        ),
        "reviewer_capacities": rows(ReviewerCapacity.objects.filter(reviewer__user=user)),
        "conflict_declarations": rows(ConflictDeclaration.objects.filter(reviewer__user=user)),
        "national_endorser": rows(NationalEndorser.objects.filter(pk=endorser.pk))[0]
        if endorser
        else None,
    }


def _profile_links(profile):
    return {
        "networks": sorted(profile.networks.values_list("name", flat=True)),
        "topics": sorted(profile.topics.values_list("name", flat=True)),
    }


@personal_data_group(
    "two_factor",
    _("Two-factor authentication"),
    models=("mfa.Authenticator",),
    user_fields=("mfa.Authenticator.user",),
)
def _mfa(user):
    # What is enrolled and when it was used; never the secret or the recovery codes.
    return [
        {
            "type": a.type,
            "created_at": a.created_at.isoformat(),
            "last_used_at": a.last_used_at.isoformat() if a.last_used_at else None,
        }
        for a in Authenticator.objects.filter(user=user).order_by("pk")
    ]


@personal_data_group("sessions", _("Sessions"), models=("sessions.Session",))
def _sessions(user):
    # Session rows carry no user column: each open one is read to count the person's.
    count = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            count += 1
    return {"open_sessions": count}


@personal_data_group(
    "institution_memberships",
    _("Institution memberships"),
    models=("accounts.Affiliation", "accounts.JoinRequest", "accounts.Invitation"),
    user_fields=(
        "accounts.Affiliation.user", "accounts.JoinRequest.user",
        "accounts.JoinRequest.decided_by", "accounts.Invitation.invited_by",
        "accounts.Invitation.accepted_by",
    ),
)  # fmt: skip
def _memberships(user):
    return {
        "affiliations": rows(
            Affiliation.objects.filter(user=user),
            extra=lambda a: {"institution_name": a.institution.name},
        ),
        "join_requests": rows(JoinRequest.objects.filter(user=user)),
        "join_requests_decided": rows(
            JoinRequest.objects.filter(decided_by=user), exclude=["message"]
        ),
        "invitations_received": rows(
            Invitation.objects.filter(email_q("email", user) | Q(accepted_by=user)),
            exclude=["token"],
        ),
        "invitations_sent": rows(Invitation.objects.filter(invited_by=user), exclude=["token"]),
    }


def _uploaded_files(user):
    # A file still held for the malware scan is not handed out, even to its uploader (its row
    # is in personal-data.json); an infected one has no bytes left.
    documents = ApplicationDocument.objects.filter(uploaded_by=user, malware_scan__in=SCAN_ACCEPTED)
    for document in documents.order_by("pk"):
        extension = f".{document.extension}" if document.extension else ""
        yield (f"files/{document.public_id}{extension}", document.file)
    receipts = Receipt.objects.filter(submission__submitted_by=user).select_related(
        "submission__application"
    )
    for receipt in receipts.order_by("pk"):
        submission = receipt.submission
        name = f"receipts/{submission.application.public_id}-v{submission.number}.pdf"
        yield (name, ContentFile(bytes(receipt.pdf), name=name))


def applications_of(user):
    """The applications the person is on: as representative, deputy or author, or by having
    submitted, answered or uploaded to one."""
    return Application.objects.filter(
        Q(representative=user)
        | Q(deputy=user)
        | Q(created_by=user)
        | Q(pk__in=Submission.objects.filter(submitted_by=user).values("application_id"))
        | Q(pk__in=Answer.objects.filter(updated_by=user).values("application_id"))
        | Q(pk__in=ApplicationDocument.objects.filter(uploaded_by=user).values("application_id"))
    ).distinct()


@personal_data_group(
    "applications",
    _("Applications"),
    models=(
        "applications.Application", "applications.Answer", "applications.ApplicationDocument",
        "applications.Declaration", "applications.Submission", "applications.Receipt",
        "applications.StatusChange",
        "applications.InformationRequest", "applications.DeadlineExtension",
        "applications.ApplicantMessage",
    ),
    user_fields=(
        "applications.Application.representative", "applications.Application.deputy",
        "applications.Application.created_by", "applications.Answer.updated_by",
        "applications.ApplicationDocument.uploaded_by", "applications.Declaration.confirmed_by",
        "applications.Submission.submitted_by", "applications.StatusChange.actor",
        "applications.InformationRequest.requested_by",
        "applications.InformationRequest.answered_by",
        "applications.DeadlineExtension.granted_by", "applications.ApplicantMessage.sent_by",
    ),
    files=_uploaded_files,
)  # fmt: skip
def _applications(user):
    result = []
    for application in applications_of(user).select_related("call", "institution").order_by("pk"):
        own = Q(application=application)
        result.append(
            {
                **rows(Application.objects.filter(pk=application.pk))[0],
                "call_title": application.call.title,
                "institution_name": application.institution.name,
                "answers": rows(
                    Answer.objects.filter(own).select_related("criterion"),
                    extra=lambda a: {"question": str(a.criterion)},
                ),
                "documents": rows(ApplicationDocument.objects.filter(own)),
                "declarations": rows(Declaration.objects.filter(own)),
                "endorsement": rows(Endorsement.objects.filter(own)),
                "submissions": rows(Submission.objects.filter(own), exclude=["content"]),
                "receipts": rows(
                    Receipt.objects.filter(submission__application=application), exclude=["pdf"]
                ),
                "status_changes": rows(StatusChange.objects.filter(own)),
            }
        )
    return {
        "applications": result,
        "documents_uploaded_elsewhere": rows(
            ApplicationDocument.objects.filter(uploaded_by=user).exclude(
                application__in=applications_of(user)
            )
        ),
        "status_changes_made": rows(StatusChange.objects.filter(actor=user)),
        "declarations_confirmed": rows(Declaration.objects.filter(confirmed_by=user)),
        "information_requests": rows(
            InformationRequest.objects.filter(Q(requested_by=user) | Q(answered_by=user))
        ),
        "deadline_extensions_granted": rows(DeadlineExtension.objects.filter(granted_by=user)),
        "applicant_messages_sent": rows(
            ApplicantMessage.objects.filter(sent_by=user), exclude=["recipients", "token"]
        ),
        "applicant_messages_received": [
            {"subject": m.subject, "body": m.body, "sent_at": m.sent_at.isoformat()}
            for m in ApplicantMessage.objects.filter(json_list_has_email_q("recipients", user))
        ],
    }


@personal_data_group(
    "reviews",
    _("Reviews"),
    models=(
        "reviews.Assignment", "reviews.Review", "reviews.Score", "reviews.ConsensusNote",
        "reviews.RoutingRun",
    ),
    user_fields=("reviews.RoutingRun.created_by",),
)  # fmt: skip
def _reviews(user):
    assignments = Assignment.objects.filter(reviewer__user=user)
    return {
        "assignments": rows(assignments),
        "reviews": rows(Review.objects.filter(assignment__in=assignments)),
        "scores": rows(Score.objects.filter(review__assignment__in=assignments)),
        "consensus_notes": rows(ConsensusNote.objects.filter(author__user=user)),
        "routing_runs_started": rows(
            RoutingRun.objects.filter(created_by=user), exclude=["preview"]
        ),
    }


@personal_data_group(
    "endorsements",
    _("Endorsements"),
    models=(
        "endorsements.NationalEndorsement", "endorsements.EndorsementChange",
        "applications.Endorsement",
    ),
    user_fields=("endorsements.EndorsementChange.actor", "applications.Endorsement.updated_by"),
)  # fmt: skip
def _endorsements(user):
    return {
        "endorsements_decided": rows(NationalEndorsement.objects.filter(endorser__user=user)),
        "endorsement_changes_made": rows(EndorsementChange.objects.filter(actor=user)),
        "letters_recorded": rows(Endorsement.objects.filter(updated_by=user)),
    }


@personal_data_group(
    "decisions",
    _("Decisions"),
    models=(
        "decisions.Opinion", "decisions.Proposal", "decisions.Letter", "decisions.RedressRequest",
    ),
    user_fields=(
        "decisions.Opinion.given_by", "decisions.Proposal.proposed_by",
        "decisions.Proposal.board_by", "decisions.Letter.released_by",
        "decisions.RedressRequest.requested_by", "decisions.RedressRequest.decided_by",
    ),
)  # fmt: skip
def _decisions(user):
    return {
        "opinions_given": rows(Opinion.objects.filter(given_by=user)),
        "proposals": rows(Proposal.objects.filter(Q(proposed_by=user) | Q(board_by=user))),
        "letters_released": rows(Letter.objects.filter(released_by=user), exclude=["body"]),
        "letters_received": rows(Letter.objects.filter(json_list_has_email_q("recipients", user))),
        "redress_requests": rows(
            RedressRequest.objects.filter(Q(requested_by=user) | Q(decided_by=user))
        ),
    }


@personal_data_group(
    "audit_entries",
    _("Audit trail entries"),
    models=("audit.AuditEntry",),
    user_fields=("audit.AuditEntry.actor",),
)
def _audit(user):
    about = (
        Q(actor=user)
        | Q(object_type=user._meta.label_lower, object_id=str(user.pk))
        | email_q("actor_label", user)
    )
    return rows(AuditEntry.objects.filter(about).order_by("sequence"))


@personal_data_group("notifications", _("Emails sent"), models=("notifications.SentNotification",))
def _notifications(user):
    return rows(SentNotification.objects.filter(email_q("recipient", user)).order_by("pk"))


@personal_data_group(
    "admin_actions",
    _("Administration actions"),
    models=("admin.LogEntry",),
    user_fields=("admin.LogEntry.user",),
)
def _admin_actions(user):
    return rows(LogEntry.objects.filter(user=user).order_by("pk"))


@personal_data_group(
    "privacy",
    _("Privacy notice, exports and erasure requests"),
    models=("privacy.NoticeAcceptance", "privacy.DataExport", "erasure.ErasureRequest"),
    user_fields=(
        "privacy.NoticeAcceptance.user",
        "privacy.DataExport.user",
        "erasure.ErasureRequest.user",
        "erasure.ErasureRequest.decided_by",
    ),
)
def _privacy(user):
    return {
        "notice_acceptances": [
            {"version": a.notice.version, "accepted_at": a.accepted_at.isoformat()}
            for a in NoticeAcceptance.objects.filter(user=user).select_related("notice")
        ],
        "data_exports": rows(DataExport.objects.filter(user=user), exclude=["file", "error"]),
        "erasure_requests": rows(ErasureRequest.objects.filter(user=user).order_by("pk")),
        # Requests this person decided, as secretariat: which, when and how, not whose.
        "erasure_requests_decided": rows(
            ErasureRequest.objects.filter(decided_by=user).order_by("pk"),
            exclude=["user", "reason", "refusal_reason"],
        ),
    }


@personal_data_group(
    "accessibility_feedback",
    _("Accessibility feedback"),
    models=("accessibility.AccessibilityFeedback",),
)
def _accessibility_feedback(user):
    return rows(AccessibilityFeedback.objects.filter(email_q("email", user)).order_by("pk"))
