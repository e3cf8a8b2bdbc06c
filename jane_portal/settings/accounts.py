"""Accounts: sessions and their limits, authentication, allauth, two-factor authentication by
role, sign-in throttling."""

from jane_portal.settings.base import env

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
