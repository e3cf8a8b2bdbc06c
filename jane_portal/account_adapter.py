"""Where each person lands after signing in: their own work first."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from dashboards.rules import is_observer_only
from endorsements.rules import is_national_endorser
from reviews.models import ReviewerProfile


class PortalAccountAdapter(DefaultAccountAdapter):
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
