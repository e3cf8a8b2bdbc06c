"""What every response says about security: the Content Security Policy, HTTPS and its headers,
Permissions-Policy."""

from csp.constants import NONCE, NONE, SELF

from jane_portal.settings.base import DEBUG, env

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
