"""The processing activities of the portal (article 31 of Regulation (EU) 2018/1725).

Each model holding personal data names its activity in its `PersonalData` declaration
(`erasure/declarations.py`); here is what the register says of each activity as a whole. The
categories of data are not written here: `processing_register` derives them from the declared
fields. Retention names the rule of `settings.RETENTION_RULES` that applies, if any.
"""

import dataclasses

from django.utils.translation import gettext_lazy as _


@dataclasses.dataclass(frozen=True)
class Activity:
    name: str
    purpose: str
    legal_basis: str
    persons: str
    recipients: str
    retention: str
    rules: tuple[str, ...] = ()


_TASK = _(
    "Article 5(1)(a) of Regulation (EU) 2018/1725 (Article 6(1)(e) GDPR): a task carried "
    "out in the public interest, the Joint Action on Networks of Expertise under EU4Health."
)
_SECRETARIAT = _("The JANE secretariat and the portal's administrators.")

ACTIVITIES = {
    "accounts": Activity(
        name=_("Accounts and signing in"),
        purpose=_(
            "Identifying the people who use the portal, signing them in securely, and knowing "
            "for which institutions they act."
        ),
        legal_basis=_TASK,
        persons=_(
            "Applicants, institutions' representatives and deputies, reviewers, national "
            "endorsers, coordinators, decision board members, the secretariat."
        ),
        recipients=_SECRETARIAT,
        retention=_(
            "Until the person asks for erasure; an account never confirmed is removed after "
            "the days set by the retention rule."
        ),
        rules=("unconfirmed_accounts",),
    ),
    "applications": Activity(
        name=_("Expressions of interest"),
        purpose=_(
            "Receiving, checking and keeping the institutions' expressions of interest to join "
            "a network, with the people who prepared, signed and submitted them."
        ),
        legal_basis=_TASK,
        persons=_("Institutions' representatives, deputies and signatories."),
        recipients=_(
            "The network's coordinators, the assigned reviewers, the national endorser of the "
            "institution's country, the decision board, the secretariat."
        ),
        retention=_(
            "The people on applications that were not accepted are anonymised after the years "
            "set by the retention rule; accepted applications are kept for the membership."
        ),
        rules=("applicants_not_accepted",),
    ),
    "reviews": Activity(
        name=_("Evaluation by reviewers"),
        purpose=_(
            "Choosing reviewers without conflicts of interest, assigning them and recording "
            "their reviews."
        ),
        legal_basis=_TASK,
        persons=_("Reviewers."),
        recipients=_("The network's coordinators, the decision board, the secretariat."),
        retention=_("As long as the applications they reviewed; scores stay with them."),
    ),
    "endorsements": Activity(
        name=_("National endorsement"),
        purpose=_("Recording the national authorities' endorsement of applications."),
        legal_basis=_TASK,
        persons=_("National endorsers and the signatories of endorsement letters."),
        recipients=_("The network's coordinators, the reviewers, the secretariat."),
        retention=_("As long as the applications endorsed."),
    ),
    "decisions": Activity(
        name=_("Decisions and redress"),
        purpose=_(
            "Proposing, deciding and notifying decisions on applications, and handling "
            "requests for redress."
        ),
        legal_basis=_TASK,
        persons=_("Applicants, coordinators, decision board members."),
        recipients=_(
            "The applicant institution's representative and deputy, the decision board, "
            "the secretariat."
        ),
        retention=_("As long as the applications decided."),
    ),
    "communications": Activity(
        name=_("Emails sent by the portal"),
        purpose=_("Sending the portal's emails once each, and knowing they were sent."),
        legal_basis=_TASK,
        persons=_("Everyone the portal emails."),
        recipients=_("The secretariat; the mail provider that delivers them."),
        retention=_("Delivered emails' queue entries are removed after the days set."),
        rules=("sent_emails",),
    ),
    "audit": Activity(
        name=_("Audit trail"),
        purpose=_(
            "Accountability: who did what to which application, and when, in a record that "
            "cannot be changed unnoticed."
        ),
        legal_basis=_(
            "Article 5(1)(a) and (b) of Regulation (EU) 2018/1725: the task above and the "
            "controller's obligation to account for its decisions."
        ),
        persons=_("Everyone who acts in the portal."),
        recipients=_("The secretariat, auditors."),
        retention=_(
            "Entries are kept; a person's erasure replaces what named them by a tombstone, "
            "and the chain still verifies."
        ),
    ),
    "rights": Activity(
        name=_("Data subjects' information and requests"),
        purpose=_(
            "Informing people of the privacy notice and knowing who accepted which version; "
            "handling requests for a copy of one's data and for erasure within the legal "
            "deadline."
        ),
        legal_basis=_(
            "Article 5(1)(b) of Regulation (EU) 2018/1725: the controller's legal obligation "
            "(articles 14-24)."
        ),
        persons=_("Everyone with an account; people who ask for a copy or for erasure."),
        recipients=_("The secretariat."),
        retention=_(
            "Acceptances are kept with the account. A copy of one's data can be downloaded "
            "for the days set, then its archive is deleted, and the request itself after the "
            "days set by the retention rule. An erasure request is kept, with the reason "
            "erased once it is carried out."
        ),
        rules=("data_exports",),
    ),
    "accessibility": Activity(
        name=_("Accessibility feedback"),
        purpose=_(
            "Answering people who report an accessibility barrier or ask for content in an "
            "accessible form (Directive (EU) 2016/2102)."
        ),
        legal_basis=_TASK,
        persons=_("Anyone who writes from the accessibility statement."),
        recipients=_("The secretariat."),
        retention=_("Until the message is answered and the secretariat deletes it."),
    ),
}
