"""The portal's roles that are plain groups of users.

Scoped roles live beside what they scope: a network coordinator is one of `Network.coordinators`.
The groups below carry the model permissions each role needs in the admin.
"""

from django.utils.translation import gettext_lazy as _

NETWORK_COORDINATORS = "Network coordinators"
REVIEWERS = "Reviewers"
EC_OBSERVERS = "EC observers"
DECISION_BOARD = "Decision board"

GROUP_LABELS = {
    NETWORK_COORDINATORS: _("Network coordinators"),
    REVIEWERS: _("Reviewers"),
    EC_OBSERVERS: _("European Commission observers"),
    DECISION_BOARD: _("Decision board"),
}
