"""The coordinators' workbench: applications and what they hold, scoped to their networks."""

from applications.admin import content, workbench  # noqa: F401  (registers the admins)
