"""The coordinators' workbench: applications and what they hold, calls, reviewers and their
assignments, decision letters and redress, scoped to their networks."""

from coordination.admin import (  # noqa: F401  (registers the admins)
    calls,
    content,
    decisions,
    messaging,
    proposals,
    reviews,
    workbench,
)
