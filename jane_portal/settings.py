"""Settings for the JANE Networks Portal.

Every setting that differs between a laptop, CI and production comes from an environment variable;
`.env.example` lists each one with its default. A `.env` file beside manage.py is read if present.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# A development key is only acceptable while DEBUG is on; production must set its own.
SECRET_KEY = env("SECRET_KEY", default="insecure-development-key" if DEBUG else environ.Env.NOTSET)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # First, so that its admin widget templates (a label on each half of a date and time) are
    # found before django.contrib.admin's by every form renderer.
    "instants",
    # Django's admin, with sign-in through allauth and two-factor authentication required.
    "accounts.admin_access.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    # The Content Security Policy header on every response (settings below, docs/security.md).
    "csp",
    "accounts",
    "networks",
    "calls",
    "applications",
    "notifications",
    "reviews",
    "endorsements",
    "audit",
    "outbox",
    "decisions",
    "dashboards",
    # The steps that change several apps at once, and above them the applicant's pages and
    # the coordinators' workbench that call them.
    "workflow",
    "applicant",
    "coordination",
    # Issue 13: erasure requests, retention rules, the register of processing activities.
    "erasure",
    "accessibility",
    # Personal-data rights: the privacy notice, "Download my data".
    "privacy",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files carry the policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Idle timeout and absolute lifetime of a signed-in session, shorter for staff.
    "accounts.session_limits.SessionLimitsMiddleware",
    # People whose role requires two-factor authentication set it up before anything else.
    "accounts.second_factor.SecondFactorRequiredMiddleware",
    # Signed-in pages are never stored by the browser or a proxy (Cache-Control: no-store).
    "jane_portal.headers.SignedInNoStoreMiddleware",
    "jane_portal.headers.PermissionsPolicyMiddleware",
    # EC observers read and never write: 403 on every write and on applicants' areas.
    "dashboards.middleware.ObserverReadOnlyMiddleware",
    # A malformed id in an admin URL is a 404 before any admin code reads it.
    "jane_portal.admin_object_ids.AdminObjectIdMiddleware",
    # A newer privacy notice is shown once, before anything else, until accepted.
    "privacy.middleware.PrivacyNoticeMiddleware",
]

ROOT_URLCONF = "jane_portal.urls"
WSGI_APPLICATION = "jane_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                # CSP_NONCE, for an inline <script> that cannot be a static file (none today).
                "csp.context_processors.nonce",
            ],
        },
    },
]

# The embedded default lets `make run` work on a bare laptop; CI and production use PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
# Each request runs in a transaction; the pages that write nothing are marked
# `transaction.non_atomic_requests` (the public pages, the sign-in page) and touch no connection.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A worker keeps its connection for this many seconds (0: a new one per request, which cost
# more than the whole of a small page), checked once per request before it is reused.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis, because it can treat an unreachable Redis as a cache miss: the
            # cache only ever speeds pages up, and a Redis outage must not fail a request.
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="jane"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions are kept in the database and read through the cache (accounts/sessions.py): with Redis
# unreachable they come from the database, and nobody is signed out.
SESSION_ENGINE = env("SESSION_ENGINE", default="accounts.sessions")
# How long a session's cached copy is believed (bounds a stale copy after a Redis outage).
SESSION_CACHE_SECONDS = env.int("SESSION_CACHE_SECONDS", default=300)
# A signed-in session ends after this many seconds without a request, and this many seconds
# after signing in whatever happens; staff and administrators' sooner (accounts/session_limits.py).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=60 * 60)
SESSION_IDLE_TIMEOUT_STAFF = env.int("SESSION_IDLE_TIMEOUT_STAFF", default=30 * 60)
SESSION_MAX_LIFETIME = env.int("SESSION_MAX_LIFETIME", default=12 * 3600)
SESSION_MAX_LIFETIME_STAFF = env.int("SESSION_MAX_LIFETIME_STAFF", default=8 * 3600)
# The last activity is written at most once per this many seconds (one session write a minute).
SESSION_ACTIVITY_RESOLUTION = env.int("SESSION_ACTIVITY_RESOLUTION", default=60)
# The cookie outlives no session (Django's default was two weeks).
SESSION_COOKIE_AGE = max(SESSION_MAX_LIFETIME, SESSION_MAX_LIFETIME_STAFF)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "applications:mine"
# Reviewers land on their reviews and observers on the dashboards (jane_portal/account_adapter.py).
ACCOUNT_ADAPTER = "jane_portal.account_adapter.PortalAccountAdapter"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# The name (accounts) and the privacy notice's checkbox, whose acceptance is recorded.
ACCOUNT_SIGNUP_FORM_CLASS = "privacy.forms.SignupForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[JANE] "
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
# Two-factor authentication with an authenticator app, and recovery codes, for everyone.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "JANE Networks Portal"
# Staff, superusers included, need an authenticator app set up before the admin opens to them.
ADMIN_REQUIRE_MFA = env.bool("ADMIN_REQUIRE_MFA", default=True)
# The roles whose people must set up two-factor authentication on their first sign-in and can
# open nothing else until they have (accounts/second_factor.py; the apps register their roles):
# every role but applicants, who may still turn it on. "applicant" may be added.
MFA_REQUIRED_ROLES = env.list(
    "MFA_REQUIRED_ROLES",
    default=[
        "administrator",
        "staff",
        "coordinator",
        "reviewer",
        "endorser",
        "decision_board",
        "opinion_panel",
        "observer",
    ],
)
# Further address prefixes open to someone who must still set up two factors (public notices).
MFA_ENROLMENT_OPEN_PATHS = env.list("MFA_ENROLMENT_OPEN_PATHS", default=[])

# Throttling that cannot be turned against a victim: failed sign-ins are counted per (account,
# address) and per address (jane_portal/account_adapter.py keys allauth's "login_failed" limit by
# both), so tries from elsewhere never lock a person out of their own account.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/5m/key"),
}
# The client's address is taken from X-Forwarded-For only behind this many proxies of our own
# (0: REMOTE_ADDR; behind one reverse proxy, 1). Wrong, every user would share the proxy's limits.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Stored instants are UTC; a call shows its window in its own zone and the visitor's.
TIME_ZONE = "UTC"
# Every date and time Django shows by default names its zone (instants/formats/).
FORMAT_MODULE_PATH = ["instants.formats"]
DEFAULT_CALL_TIME_ZONE = env("DEFAULT_CALL_TIME_ZONE", default="Europe/Brussels")
# The most days a coordinator may extend one applicant's deadline past the call's own.
DEADLINE_EXTENSION_MAX_DAYS = env.int("DEADLINE_EXTENSION_MAX_DAYS", default=30)
# Seconds a public page rendered for anonymous visitors is kept at most; a change to what it
# shows, or a call opening or closing, makes it stale sooner (calls/page_cache.py).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=900)
# Rows on each page of the personal lists (my applications, my reviews, my endorsements, board).
LIST_PAGE_SIZE = env.int("LIST_PAGE_SIZE", default=25)

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Front-end packages come from npm and are served by the portal itself, never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Without DEBUG: hashed names, gzip and brotli copies made by `collectstatic`, and WhiteNoise
    # serves the hashed files with a ten-year, immutable max-age.
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Uploaded documents live outside the web root and are served only through permission checks.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# The portal's public address, for links in emails.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="JANE Networks Portal <noreply@localhost>")
# Seconds an SMTP conversation may take before it counts as failed (and is retried).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

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

# Without a broker, tasks run in-process so `make run` needs nothing else; with one, workers do.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# A message a worker took and did not acknowledge (the worker died) is handed out again after
# this many seconds. Nothing waits for it: the outbox sweep redoes the work within
# OUTBOX_SWEEP_SECONDS, and the redelivered copy then finds nothing left to do.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
    "socket_connect_timeout": 2,
}
# Publishing to a broker that is down gives up quickly: the request that asked goes on, and the
# outbox sweep delivers the work once the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# The transactional outbox (outbox/): every side effect outside the database is written with
# the change that calls for it and performed after the commit, retried until it is done.
OUTBOX_RETRY_FOR = env.int("OUTBOX_RETRY_FOR", default=3 * 24 * 3600)  # seconds
OUTBOX_BACKOFF_BASE = env.float("OUTBOX_BACKOFF_BASE", default=30.0)  # first wait, seconds
OUTBOX_BACKOFF_MAX = env.float("OUTBOX_BACKOFF_MAX", default=3600.0)  # longest wait, seconds
OUTBOX_SWEEP_SECONDS = env.float("OUTBOX_SWEEP_SECONDS", default=10.0)
OUTBOX_KICK_PAUSE = env.float("OUTBOX_KICK_PAUSE", default=5.0)  # after a refused kick
OUTBOX_KEEP_DONE_DAYS = env.int("OUTBOX_KEEP_DONE_DAYS", default=30)
# An email is sent outside any transaction, under a lease that keeps other relays away; a relay
# that dies while it holds one is replaced when the lease ends.
OUTBOX_LEASE_SECONDS = env.float("OUTBOX_LEASE_SECONDS", default=20.0)
# After an email left, how long to keep trying to record it while the database is unreachable.
OUTBOX_RECORD_RETRY_SECONDS = env.float("OUTBOX_RECORD_RETRY_SECONDS", default=120.0)

# The dashboards' figures are recomputed in the background when their inputs change, at most
# once in this many seconds; pages show the stored ones, with their time, meanwhile.
DASHBOARD_REFRESH_SECONDS = env.float("DASHBOARD_REFRESH_SECONDS", default=60.0)

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
}

CELERY_BEAT_SCHEDULE = {
    # The dashboards' stale figures, if a refresh was not asked for or came too soon.
    "dashboards-refresh": {
        "task": "dashboards.tasks.figures_refresh_task",
        "schedule": DASHBOARD_REFRESH_SECONDS,
        "kwargs": {"missing": True},
        "options": {"expires": DASHBOARD_REFRESH_SECONDS},
    },
    # Items whose kick was lost (broker down, worker killed), and items due for a retry.
    "outbox-sweep": {
        "task": "outbox.tasks.outbox_sweep_task",
        "schedule": OUTBOX_SWEEP_SECONDS,
        "options": {"expires": OUTBOX_SWEEP_SECONDS},
    },
    "outbox-purge": {"task": "outbox.tasks.outbox_purge_task", "schedule": 24 * 3600.0},
    # Reviewers whose review is due within three days are reminded, once.
    "review-reminders": {"task": "reviews.tasks.review_reminders_task", "schedule": 3600.0},
    # Paused assignments of drafts past their deadline end, giving the reviewers' places back.
    "paused-assignments-lapse": {
        "task": "reviews.tasks.paused_assignments_lapse_task",
        "schedule": 3600.0,
    },
    # National endorsers of applications still awaiting them, three days before it closes.
    "endorsement-reminders": {
        "task": "endorsements.tasks.endorsement_reminders_task",
        "schedule": 3600.0,
    },
    # Retention rules (erasure/retention.py): a report every day; only rules marked apply erase.
    "retention": {"task": "erasure.tasks.retention_task", "schedule": 24 * 3600.0},
    # "Download my data" archives whose link has expired are removed.
    "data-exports-expire": {"task": "privacy.tasks.data_exports_expire_task", "schedule": 3600.0},
    # Requests for information whose due date passed without an answer are closed.
    "information-requests-lapse": {
        "task": "applications.tasks.information_requests_lapse_task",
        "schedule": 300.0,
    },
}

# Content Security Policy (django-csp 4): scripts, styles, fonts and everything else from the
# portal itself; no inline script, style element or style attribute, no eval, no plugin, no
# framing, forms posted only to the portal. Bootstrap's icons in its CSS are data: images. An
# inline script that must stay takes the request's nonce (`nonce="{{ CSP_NONCE }}"`), which is
# then added to the header; no cached public page may carry one (calls/page_cache.py).
# The browser reports each refusal to CSP_REPORT_ENDPOINT; the portal's own, /csp-report/, logs
# them (jane_portal/csp_reports.py). Not named CSP_REPORT_URI: django-csp's checks refuse its
# 3.x setting names.
CSP_REPORT_ENDPOINT = env("CSP_REPORT_ENDPOINT", default="/csp-report/")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "report-uri": [CSP_REPORT_ENDPOINT] if CSP_REPORT_ENDPOINT else None,
    },
}
# Off by default: the same policy, or a stricter one being tried, reported and not enforced.
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = CONTENT_SECURITY_POLICY
    CONTENT_SECURITY_POLICY = None

# HTTPS. Each is on by default without DEBUG, and may be turned off where a TLS-terminating
# proxy in front does the same (it must then also set X-Forwarded-Proto, which Django trusts).
# `manage.py check --deploy --fail-level WARNING` passes with these defaults (make lint); a check
# is silenced only for what the environment says the proxy does.
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Plain HTTP is redirected to HTTPS (the test suite, the fault suite and the benchmarks talk
# plain HTTP to their own servers and turn it off: SECURE_SSL_REDIRECT=0).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Strict-Transport-Security on every HTTPS response: a year, subdomains included.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Asking browsers to build HSTS in for the whole domain is its owner's decision, hard to undo.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    check
    for check, done_elsewhere in [
        ("security.W021", not SECURE_HSTS_PRELOAD),  # preload: the domain owner's decision
        ("security.W008", env.bool("PROXY_REDIRECTS_TO_HTTPS", default=False)),
        ("security.W004", env.bool("PROXY_SETS_HSTS", default=False)),
    ]
    if done_elsewhere
]
# Browser features the portal never uses are switched off (jane_portal/headers.py).
PERMISSIONS_POLICY = (
    {
        feature: []
        for feature in [
            "accelerometer",
            "autoplay",
            "camera",
            "display-capture",
            "geolocation",
            "gyroscope",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "usb",
        ]
    }
    if env.bool("PERMISSIONS_POLICY_HEADER", default=True)
    else {}
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
