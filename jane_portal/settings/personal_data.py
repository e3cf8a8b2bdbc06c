"""Personal data and accessibility: the accessibility statement's feedback, the privacy notice's
contacts, "Download my data", erasure requests and retention rules."""

from jane_portal.settings.base import env

# The accessibility statement (accessibility/): who receives its feedback, the address it gives,
# its dates, and how many messages one address may send per window (seconds).
ACCESSIBILITY_CONTACT_EMAIL = env("ACCESSIBILITY_CONTACT_EMAIL", default="secretariat@localhost")
ACCESSIBILITY_FEEDBACK_EMAILS = env.list(
    "ACCESSIBILITY_FEEDBACK_EMAILS", default=[ACCESSIBILITY_CONTACT_EMAIL]
)
ACCESSIBILITY_STATEMENT_PREPARED_ON = env(
    "ACCESSIBILITY_STATEMENT_PREPARED_ON", default="2026-12-02"
)
ACCESSIBILITY_STATEMENT_REVIEWED_ON = env(
    "ACCESSIBILITY_STATEMENT_REVIEWED_ON", default="2026-12-02"
)
ACCESSIBILITY_FEEDBACK_LIMIT = env.int("ACCESSIBILITY_FEEDBACK_LIMIT", default=5)
ACCESSIBILITY_FEEDBACK_WINDOW = env.int("ACCESSIBILITY_FEEDBACK_WINDOW", default=3600)
# The privacy notice's details of the controller (privacy/templatetags/privacy_notice.py): each
# [[NAME]] in the notice's text is PRIVACY_NAME, marked "to be completed" while it is empty.
PRIVACY_CONTACTS = {
    name: env(f"PRIVACY_{name}", default="")
    for name in [
        "CONTROLLER",  # the controller's name: the EU body or the JANE coordination
        "CONTROLLER_ADDRESS",
        "CONTACT_EMAIL",  # the secretariat's functional mailbox for data protection
        "DPO_CONTACT",  # the Data Protection Officer's name or mailbox
        "PROCESSOR",  # who hosts the portal on the controller's behalf
        "LEGAL_BASIS_ACT",  # the act that assigns the task (the EU4Health grant agreement)
        "RETENTION_YEARS",  # years application files are kept after the call's decisions
    ]
}
# Days a person's "Download my data" archive can be downloaded before it is removed.
DATA_EXPORT_EXPIRY_DAYS = env.int("DATA_EXPORT_EXPIRY_DAYS", default=7)

# Personal data (erasure/, docs/erasure.md). The secretariat answers an erasure request within
# this many days (article 14(3) of Regulation (EU) 2018/1725: one month).
ERASURE_DEADLINE_DAYS = env.int("ERASURE_DEADLINE_DAYS", default=30)
# How long each category of personal data is kept, and whether beat's daily run erases it
# ("apply") or only reports it (run `manage.py retention --dry-run` first, then turn it on).
RETENTION_RULES = {
    "applicants_not_accepted": {
        "after_days": env.int("RETENTION_APPLICANTS_NOT_ACCEPTED_DAYS", default=5 * 365),
        "apply": env.bool("RETENTION_APPLICANTS_NOT_ACCEPTED_APPLY", default=False),
    },
    "unconfirmed_accounts": {
        "after_days": env.int("RETENTION_UNCONFIRMED_ACCOUNTS_DAYS", default=30),
        "apply": env.bool("RETENTION_UNCONFIRMED_ACCOUNTS_APPLY", default=False),
    },
    "sent_emails": {
        "after_days": env.int("RETENTION_SENT_EMAILS_DAYS", default=2 * 365),
        "apply": env.bool("RETENTION_SENT_EMAILS_APPLY", default=False),
    },
    # "Download my data" requests (privacy/retention.py): days after the link expired (the
    # archive's file is already gone by then) before the request is deleted.
    "data_exports": {
        "after_days": env.int("RETENTION_DATA_EXPORTS_DAYS", default=30),
        "apply": env.bool("RETENTION_DATA_EXPORTS_APPLY", default=False),
    },
}
