"""The core settings: the project, its apps and middleware, the database, the cache, languages,
static and uploaded files, email. Read first; the other modules of this package use its `env`."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

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
    # Stored files on the local disk or in a private S3 bucket: its commands (ensure_bucket,
    # move_documents_to_bucket) and streaming backend (settings/storage.py).
    "file_storage",
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
    # Health probes, metrics, the request id in logs (docs/observability.md).
    "observability",
    "demo",
]

MIDDLEWARE = [
    # The request id first, so that every line logged for a request names it; the probes and
    # /metrics next, ahead of host validation, the HTTPS redirect, sessions, CSRF and the
    # request's transaction (observability/probes.py); then the request metrics, which time
    # everything below them.
    "observability.request_id.RequestIdMiddleware",
    "observability.probes.ProbeMiddleware",
    "observability.metrics.RequestMetricsMiddleware",
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


LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("es", _("Spanish")),
]
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
# Uploaded documents live outside the web root and are served only through permission checks;
# with AWS_STORAGE_BUCKET_NAME set they live in that bucket instead (settings/storage.py).
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Malware scanning of uploads by ClamAV's clamd (applications/malware_scanner.py): its unix
# socket, or its TCP host and port. Both empty (the default): no scanning.
CLAMD_SOCKET = env("CLAMD_SOCKET", default="")
CLAMD_HOST = env("CLAMD_HOST", default="")
CLAMD_PORT = env.int("CLAMD_PORT", default=3310)
# Seconds one conversation with clamd may take; an upload waits at most this long for it, then
# the document is held as pending and scanned by a job (retried while clamd is down).
CLAMD_TIMEOUT = env.float("CLAMD_TIMEOUT", default=10.0)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# The portal's public address, for links in emails.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The portal's name in account emails ("Hello from JANE Networks Portal!"), which sign off with
# SITE_URL's host (jane_portal/account_adapter.py), whatever host the request came to.
SITE_NAME = env("SITE_NAME", default="JANE Networks Portal")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="JANE Networks Portal <noreply@localhost>")
# Seconds an SMTP conversation may take before it counts as failed (and is retried).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# LOGGING: jane_portal/settings/observability.py (LOG_FORMAT, LOG_LEVEL).
