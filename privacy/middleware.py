"""A newer privacy notice comes before anything else: a signed-in person who has not seen the
current version is sent to it (GET and HEAD), then back to where they were going.

Other methods go through: a form posted from a page loaded before the publication is not lost,
and the next page shown asks. The notice's own pages, signing out and changing the language
stay open, so nobody is trapped.
"""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse

from privacy.services.notice import SESSION_KEY, notice_current_summary, notice_seen_version


class PrivacyNoticeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_see_notice(request):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('privacy:accept')}?{query}")
        return self.get_response(request)

    def _must_see_notice(self, request) -> bool:
        if request.method not in ("GET", "HEAD") or not request.user.is_authenticated:
            return False
        if request.path_info.startswith(_open_prefixes()):
            return False
        current = notice_current_summary()
        if current is None:
            return False
        if request.session.get(SESSION_KEY) == current[0]:
            return False
        seen = notice_seen_version(user=request.user, current=current)
        if seen is None:
            return True
        request.session[SESSION_KEY] = seen
        return False


def _open_prefixes() -> tuple[str, ...]:
    return (
        reverse("privacy:notice"),
        reverse("privacy:accept"),
        reverse("account_logout"),
        reverse("set_language"),
    )
