"""Who may enter the Django admin, and how they sign in.

The admin has no sign-in form of its own: /admin/login/ sends visitors to allauth's, so allauth's
rate limits and its two-factor step apply to staff as to everyone. Signing out and changing the
password from the admin go through allauth too.

Staff, superusers included, must also have two-factor authentication enabled (an authenticator
app) before any admin page opens; without it they are sent to a page that explains why and links
to the activation page. ADMIN_REQUIRE_MFA=False in the environment lifts this requirement.

The site is installed as Django's default admin site by PortalAdminConfig, which takes the place
of "django.contrib.admin" in INSTALLED_APPS; `admin.site` and `@admin.register` are unchanged.
"""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache

from accounts.second_factor import has_second_factor


def admin_requires_mfa():
    return getattr(settings, "ADMIN_REQUIRE_MFA", True)


def _with_next(url, next_url):
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


def _is_staff(request):
    user = request.user
    return user.is_active and user.is_staff


def _lacks_second_factor(request):
    """Whether the requirement applies to this request's user and is not met (asked once per
    request: accounts/second_factor.py remembers the answer on the user)."""
    if not admin_requires_mfa():
        return False
    return not has_second_factor(request.user)


class PortalAdminSite(AdminSite):
    def has_permission(self, request):
        return _is_staff(request) and not _lacks_second_factor(request)

    def get_urls(self):
        return [
            path("mfa-required/", self.mfa_required, name="mfa_required"),
            *super().get_urls(),
        ]

    def _next_url(self, request):
        """Where to go once signed in: the admin page asked for, if it is on this site."""
        next_url = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME))
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return next_url
        return reverse("admin:index", current_app=self.name)

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        """Replace Django's admin sign-in form: sign in with allauth, then come back."""
        next_url = self._next_url(request)
        if not request.user.is_authenticated:
            return redirect(_with_next(reverse("account_login"), next_url))
        if self.has_permission(request):
            return redirect(next_url)
        if _is_staff(request):
            return redirect(
                _with_next(reverse("admin:mfa_required", current_app=self.name), next_url)
            )
        # Signed in, but not staff: sending them to a sign-in page would only bring them back.
        raise PermissionDenied

    def logout(self, request, extra_context=None):
        from allauth.account.views import logout

        return logout(request)

    def password_change(self, request, extra_context=None):
        return redirect("account_change_password")

    @method_decorator(never_cache)
    def mfa_required(self, request):
        """Tell staff without a second factor why the admin stays closed, and how to open it."""
        next_url = self._next_url(request)
        if not request.user.is_authenticated:
            return redirect(_with_next(reverse("account_login"), request.get_full_path()))
        if not _is_staff(request):
            raise PermissionDenied
        if self.has_permission(request):
            return redirect(next_url)
        return TemplateResponse(request, "accounts/admin_mfa_required.html", {"next_url": next_url})


class PortalAdminConfig(AdminConfig):
    default_site = "accounts.admin_access.PortalAdminSite"
