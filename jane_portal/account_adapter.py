"""Where each person lands after signing in, and how failed sign-ins are counted.

Failed sign-ins are counted per (account, client address) and per client address (the
"login_failed" limit in ACCOUNT_RATE_LIMITS): allauth's own key is the account alone, so five
wrong passwords from anywhere would lock the account's owner out too. Here a stranger's tries
use up only their own address's allowance; the owner, from theirs, still signs in. The client
address is read behind TRUSTED_PROXY_COUNT proxies (accounts/client_address.py).
"""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.client_address import client_address
from dashboards.rules import is_observer_only
from endorsements.rules import is_national_endorser
from notifications.services import recipient_language
from reviews.models import ReviewerProfile


def portal_site() -> SimpleNamespace:
    """The site as account emails name it: SITE_NAME and the host of SITE_URL."""
    return SimpleNamespace(
        name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc or settings.SITE_URL
    )


class PortalAccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        return client_address(request)

    def send_mail(self, template_prefix, email, context):
        """allauth names the site in its emails ("Hello from {{ current_site.name }}!") from the
        request's host without django.contrib.sites: "127.0.0.1:8000" behind a proxy or in
        development. The settings name it instead. Not django.contrib.sites: its Site row would
        be a database read on the sign-in page, which reads none (tests/request_path), and a
        copy of SITE_URL to keep in step.

        Written in the recipient's preferred language when they have one (a password reset
        asked for from a French page reaches a German-speaking person in German), else in the
        request's."""
        language = recipient_language(email=email, fallback=translation.get_language())
        with translation.override(language):
            super().send_mail(template_prefix, email, {"current_site": portal_site(), **context})

    def save_user(self, request, user, form, commit=True):
        """A new person's preferred language is the one they signed up in."""
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
        return super().save_user(request, user, form, commit=commit)

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth keys the per-account failures by the address typed in; the client address is
        # added so that failures from one place never lock the account elsewhere. (A private
        # hook of allauth 65, pinned: tests/accounts/test_sign_in_throttling.py fails if it goes.)
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{self.get_client_ip(request)}"

    def get_login_redirect_url(self, request):
        """National endorsers land on their endorsements, reviewers who act for no institution
        on their reviews, observers on the dashboards, everyone else on their applications (a
        `next` address still wins)."""
        user = request.user
        if is_national_endorser(user):
            return reverse("endorsements:list")
        if is_observer_only(user):
            return reverse("dashboards:overview")
        if not user.affiliations.exists() and ReviewerProfile.objects.filter(user=user).exists():
            return reverse("reviews:assignments")
        return super().get_login_redirect_url(request)
