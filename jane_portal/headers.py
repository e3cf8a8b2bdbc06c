"""Response headers every page carries: no storing of signed-in pages, and a Permissions-Policy.

- A page answered to a signed-in person (a dossier, a review, the admin, a document) is marked
  `Cache-Control: no-store, private` (Django's never-cache set), so neither the browser's
  history nor a shared proxy keeps a copy once they have signed out. Anonymous public pages keep
  their own caching (calls/page_cache.py).
- Permissions-Policy switches off the browser features the portal never uses (camera,
  microphone, geolocation, payment...), for the portal and anything it might embed.
  PERMISSIONS_POLICY is the policy; an empty one (PERMISSIONS_POLICY_HEADER=False, for a proxy
  that sets it) sends nothing.

HSTS, the HTTPS redirect and secure cookies are Django's SecurityMiddleware and settings
(jane_portal/settings/security.py); the Content Security Policy is django-csp's.
"""

from django.conf import settings
from django.utils.cache import add_never_cache_headers


class SignedInNoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` as `camera=(), fullscreen=(self)`."""
    return ", ".join(
        f"{feature}=({' '.join(allowed)})" for feature, allowed in sorted(policy.items())
    )


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response
