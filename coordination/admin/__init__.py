"""The coordinators' workbench: applications and what they hold, and the calls, scoped to their
networks."""

from coordination.admin import calls, content, workbench  # noqa: F401  (registers the admins)
