"""Settings for the JANE Networks Portal.

Every setting that differs between a laptop, CI and production comes from an environment variable;
`.env.example` lists each one with its default. A `.env` file beside manage.py is read if present.

The settings are grouped by area, each in a module of this package, read in this order:
`base` (apps, middleware, database, cache, languages, files, email), `accounts` (sessions,
sign-in, two-factor), `personal_data` (privacy, erasure, retention, accessibility), `tasks`
(Celery, outbox, beat), `security` (CSP, HTTPS, headers) and `observability` (health probes,
metrics, log format, error reporting).
"""

# ruff: noqa: I001 (read in this order, each module after the ones it follows)

from jane_portal.settings.base import *  # noqa: F403
from jane_portal.settings.accounts import *  # noqa: F403
from jane_portal.settings.personal_data import *  # noqa: F403
from jane_portal.settings.tasks import *  # noqa: F403
from jane_portal.settings.security import *  # noqa: F403
from jane_portal.settings.observability import *  # noqa: F403
